import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pinGuessOdds } from './pin-odds.js';

const close = (actual: number, expected: number, tolerance = 1e-3) => assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, expected), `${actual} ≉ ${expected}`);

describe('PIN guessing odds', () => {
  it('matches the documented defaults (6 digits, 20 minutes, 300 guesses/min on the open routes)', () => {
    const odds = pinGuessOdds({ length: 6, ttlMinutes: 20, guessesPerMinute: 300, livePins: 1 });
    close(odds.perPinLifetime, 0.006);
    close(odds.anyPinPerMinute, 1 - (1 - 1e-6) ** 300, 1e-6);
    close(odds.expectedHoursToFirstHit, 1e6 / 300 / 60);
  });

  it('grows with live PINs and the budget, shrinks tenfold per digit', () => {
    const base = { length: 6, ttlMinutes: 20, guessesPerMinute: 600, livePins: 50 };
    const odds = pinGuessOdds(base);
    close(odds.anyPinPerHour, 1 - Math.exp(600 * 60 * Math.log1p(-50 / 1e6)));
    assert.ok(odds.anyPinPerHour > 0.8, 'a sustained flood against 50 live 6-digit PINs hits one within the hour');
    const longer = pinGuessOdds({ ...base, length: 8 });
    close(longer.anyPinPerMinute * 100, odds.anyPinPerMinute, 0.01);
    assert.ok(longer.anyPinPerHour < 0.02);
  });

  it('caps probabilities at 1', () => {
    assert.equal(pinGuessOdds({ length: 6, ttlMinutes: 1440, guessesPerMinute: 1_000_000, livePins: 1 }).perPinLifetime, 1);
  });
});

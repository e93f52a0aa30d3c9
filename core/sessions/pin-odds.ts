/** What bounds an online PIN guesser: the PIN space, how long a PIN lives, and the guesses evaluated per minute. */
export interface PinGuessInputs {
  /** Digits of a PIN. */
  length: number;
  /** How long an unredeemed PIN stays valid. */
  ttlMinutes: number;
  /** Wrong guesses the appliance evaluates per minute at most (the sum of the lanes the attacker can reach). */
  guessesPerMinute: number;
  /** PINs waiting to be redeemed at the same time. */
  livePins: number;
}

/** The odds of an attacker who spends the whole budget on distinct guesses. */
export interface PinGuessOdds {
  /** Chance that one given PIN is hit before it expires (upper bound: the customer usually redeems it within minutes). */
  perPinLifetime: number;
  /** Chance that at least one of the live PINs is hit within one minute. */
  anyPinPerMinute: number;
  /** The same over one hour of sustained guessing. */
  anyPinPerHour: number;
  /** Expected time until the first hit, in hours. */
  expectedHoursToFirstHit: number;
}

/**
 * Computes the guessing odds. Each evaluated guess hits one of `livePins` PINs among 10^length
 * with probability livePins/10^length; guesses are independent across minutes because PINs are
 * drawn anew from the CSPRNG, so the chance over m minutes is 1 − (1 − p)^(g·m).
 */
export function pinGuessOdds(input: PinGuessInputs): PinGuessOdds {
  const space = 10 ** input.length;
  const perGuess = Math.min(1, input.livePins / space);
  const miss = (guesses: number) => Math.exp(guesses * Math.log1p(-perGuess));
  return {
    perPinLifetime: Math.min(1, (input.guessesPerMinute * input.ttlMinutes) / space),
    anyPinPerMinute: 1 - miss(input.guessesPerMinute),
    anyPinPerHour: 1 - miss(input.guessesPerMinute * 60),
    expectedHoursToFirstHit: perGuess === 0 ? Infinity : 1 / (perGuess * input.guessesPerMinute * 60),
  };
}

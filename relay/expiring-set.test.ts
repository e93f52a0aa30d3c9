import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExpiringSet } from './expiring-set.js';

describe('ExpiringSet (used tickets, ended sessions)', () => {
  it('holds a key until it expires', () => {
    const set = new ExpiringSet(10);
    set.add('a', 2_000, 1_000);
    assert.equal(set.has('a', 1_999), true);
    assert.equal(set.has('a', 2_000), false);
    assert.equal(set.has('b', 1_000), false);
  });

  it('refuses a new key when full of live keys, unless told to evict the oldest', () => {
    const set = new ExpiringSet(2);
    assert.equal(set.add('a', 5_000, 0), true);
    assert.equal(set.add('b', 5_000, 0), true);
    assert.equal(set.add('c', 5_000, 0), false);
    assert.equal(set.has('a', 0), true);
    assert.equal(set.add('c', 5_000, 0, true), true);
    assert.equal(set.has('a', 0), false);
    assert.equal(set.has('c', 0), true);
  });

  it('makes room by dropping expired keys, even out of order', () => {
    const set = new ExpiringSet(3);
    set.add('late', 9_000, 0);
    set.add('early1', 100, 0);
    set.add('early2', 100, 0);
    assert.equal(set.add('new', 9_000, 200), true);
    assert.equal(set.size, 2);
    set.purge(10_000);
    assert.equal(set.size, 0);
  });
});

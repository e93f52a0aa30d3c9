/**
 * A bounded set of keys that each expire at their own time (used ticket ids, ended sessions).
 * Keys mostly arrive in expiry order (tickets have one lifetime), so expired keys are dropped
 * from the front cheaply; a full scan runs only when the set is full.
 */
export class ExpiringSet {
  private readonly entries = new Map<string, number>();

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** Whether the key is present and not yet expired. */
  has(key: string, now: number): boolean {
    const expires = this.entries.get(key);
    return expires !== undefined && expires > now;
  }

  /**
   * Adds a key until `expires`. When the set is full of unexpired keys it either refuses
   * (returns false: callers guarding single use fail closed) or, with `evictOldest`, drops the
   * oldest entry.
   */
  add(key: string, expires: number, now: number, evictOldest = false): boolean {
    if (this.entries.size >= this.maxEntries) this.purge(now, true);
    if (this.entries.size >= this.maxEntries) {
      if (!evictOldest) return false;
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.delete(key);
    this.entries.set(key, expires);
    return true;
  }

  /** Drops expired keys: from the front until a live one, or (full) all of them. */
  purge(now: number, full = false): void {
    for (const [key, expires] of this.entries) {
      if (expires <= now) this.entries.delete(key);
      else if (!full) return;
    }
  }
}

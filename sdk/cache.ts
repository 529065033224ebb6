/**
 * The resolved-template cache: a bounded LRU whose entries are either pinned for the
 * life of the process (immutable references) or fresh until a deadline, after which
 * they are served stale while one background refresh per key runs.
 */

export interface CacheEntry<V> {
  value: V;
  /** `Infinity` for immutable references. */
  freshUntil: number;
  /** The running background refresh, so a key never has two at once. */
  refreshing?: Promise<void>;
}

export class LruCache<V> {
  private readonly entries = new Map<string, CacheEntry<V>>();
  /** Entries pushed out to respect `maxEntries`, for stats. */
  evictions = 0;

  constructor(private readonly maxEntries: number) {
    if (!(maxEntries >= 1)) throw new RangeError(`cache maxEntries must be at least 1, got ${maxEntries}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The entry, marked as most recently used. */
  get(key: string): CacheEntry<V> | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, value: V, freshUntil: number): CacheEntry<V> {
    const entry: CacheEntry<V> = { value, freshUntil };
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
      this.evictions++;
    }
    return entry;
  }

  delete(key: string): boolean {
    return this.entries.delete(key);
  }

  *[Symbol.iterator](): IterableIterator<[string, CacheEntry<V>]> {
    yield* this.entries;
  }
}

/**
 * The resolved-template cache: a bounded LRU whose entries are either pinned for the
 * life of the process (immutable references) or fresh until a deadline, after which
 * they are served stale while one background refresh per key runs.
 *
 * A hit only stamps the entry; the least recently used one is found by a scan when an
 * insert overflows the bound. Hits are the hot path (every cached get), inserts follow a
 * network fetch, so reordering the map on every hit would cost more than it saves.
 */

export interface CacheEntry<V> {
  value: V;
  /** `Infinity` for immutable references. */
  freshUntil: number;
  /** Stamp of the last use, for eviction. */
  used: number;
}

export class LruCache<V> {
  private readonly entries = new Map<string, CacheEntry<V>>();
  private clock = 0;
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
    if (entry !== undefined) entry.used = ++this.clock;
    return entry;
  }

  set(key: string, value: V, freshUntil: number): CacheEntry<V> {
    const entry: CacheEntry<V> = { value, freshUntil, used: ++this.clock };
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.evictLeastRecent();
    return entry;
  }

  delete(key: string): boolean {
    return this.entries.delete(key);
  }

  *[Symbol.iterator](): IterableIterator<[string, CacheEntry<V>]> {
    yield* this.entries;
  }

  private evictLeastRecent(): void {
    let oldestKey: string | undefined;
    let oldest = Infinity;
    for (const [key, entry] of this.entries) {
      if (entry.used < oldest) {
        oldest = entry.used;
        oldestKey = key;
      }
    }
    this.entries.delete(oldestKey!);
    this.evictions++;
  }
}

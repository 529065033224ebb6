/**
 * Values that are nice to have but never worth waiting for (usage numbers in a hover or
 * a tree): `peek` answers at once with what is known and, when that is missing or old,
 * starts one load in the background. Bounded; the oldest entry goes first.
 */
export interface BackgroundCacheOptions<V> {
  freshForMs: number;
  maxEntries?: number;
  /** What to keep when a load fails (so it is not retried at once); nothing when absent. */
  onFailure?: () => V;
  /** Called once a loaded value is kept. */
  onLoaded?: (key: string) => void;
}

export class BackgroundCache<V> {
  private readonly known = new Map<string, { at: number; value: V }>();
  private readonly pending = new Set<string>();

  constructor(private readonly options: BackgroundCacheOptions<V>) {}

  /** The value if known; starts `load` when it is missing or older than `freshForMs`. */
  peek(key: string, load: () => Promise<V>): V | undefined {
    const entry = this.known.get(key);
    if (!entry || Date.now() - entry.at > this.options.freshForMs) this.load(key, load);
    return entry?.value;
  }

  set(key: string, value: V): void {
    this.known.delete(key);
    this.known.set(key, { at: Date.now(), value });
    if (this.known.size > (this.options.maxEntries ?? Infinity)) this.known.delete(this.known.keys().next().value as string);
  }

  /** Forgets one key, or everything. */
  delete(key?: string): void {
    if (key === undefined) this.known.clear();
    else this.known.delete(key);
  }

  private load(key: string, load: () => Promise<V>): void {
    if (this.pending.has(key)) return;
    this.pending.add(key);
    load()
      .then(
        (value) => {
          this.set(key, value);
          this.options.onLoaded?.(key);
        },
        () => this.options.onFailure && this.set(key, this.options.onFailure()),
      )
      .finally(() => this.pending.delete(key));
  }
}

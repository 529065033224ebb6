/**
 * Keeps one computed value per (document URI, version), dropping the least recently
 * used document past a limit, so re-asking about an unchanged document costs a lookup.
 */
import { LRUCache } from 'lru-cache';

export class DocumentCache<T> {
  private readonly entries: LRUCache<string, { version: number; value: T }>;

  constructor(limit = 200) {
    this.entries = new LRUCache({ max: limit });
  }

  get(uri: string, version: number, compute: () => T): T {
    const hit = this.entries.get(uri);
    if (hit && hit.version === version) return hit.value;
    const value = compute();
    this.entries.set(uri, { version, value });
    return value;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * Keeps one computed value per (document URI, version), dropping the least recently
 * used document past a limit, so re-asking about an unchanged document costs a lookup.
 */
export class DocumentCache<T> {
  private readonly entries = new Map<string, { version: number; value: T }>();

  constructor(private readonly limit = 200) {}

  get(uri: string, version: number, compute: () => T): T {
    const hit = this.entries.get(uri);
    if (hit && hit.version === version) {
      // Re-insert so iteration order stays least-recently-used first.
      this.entries.delete(uri);
      this.entries.set(uri, hit);
      return hit.value;
    }
    const value = compute();
    this.entries.delete(uri);
    this.entries.set(uri, { version, value });
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }

  clear(): void {
    this.entries.clear();
  }
}

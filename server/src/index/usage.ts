/**
 * Per-version call counts and success rates, kept in memory for a minute per prompt so a
 * hover shows them without waiting: the first hover starts the fetch in the background,
 * later ones show what arrived. Only sources that record usage (a forge) have any.
 */
import type { Hosts } from './hosts';
import type { VersionCalls } from './source';

// Fresh enough for a hover; a minute keeps the forge from being asked on every keystroke.
const freshForMs = 60_000;
const maxEntries = 2_000;

export class UsageCounts {
  private readonly known = new Map<string, { at: number; versions: Map<string, VersionCalls> }>();
  private readonly pending = new Set<string>();

  constructor(private readonly hosts: Hosts) {}

  /** The version's usage if known; starts a fetch when it is missing or old. */
  of(host: string, repo: string, id: string, sha: string): VersionCalls | undefined {
    const key = JSON.stringify([host, repo, id]);
    const entry = this.known.get(key);
    if (!entry || Date.now() - entry.at > freshForMs) this.fetch(key, host, repo, id);
    return entry?.versions.get(sha);
  }

  /** Keeps usage fetched for another reason (the tree, the Render & Test panel). */
  remember(host: string, repo: string, id: string, versions: VersionCalls[]): void {
    const key = JSON.stringify([host, repo, id]);
    this.known.delete(key);
    this.known.set(key, { at: Date.now(), versions: new Map(versions.map((v) => [v.sha, v])) });
    if (this.known.size > maxEntries) this.known.delete(this.known.keys().next().value as string);
  }

  private fetch(key: string, host: string, repo: string, id: string): void {
    const source = this.hosts.source(host);
    if (!source?.usage || this.pending.has(key)) return;
    this.pending.add(key);
    source
      .usage(repo, id)
      .then((versions) => this.remember(host, repo, id, versions))
      .catch(() => {}) // usage is a nicety: a forge without it, or down, shows none
      .finally(() => this.pending.delete(key));
  }
}

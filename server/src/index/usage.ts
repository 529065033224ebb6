/**
 * Per-version call counts and success rates, kept in memory for a minute per prompt so a
 * hover shows them without waiting: the first hover starts the fetch in the background,
 * later ones show what arrived. Only sources that record usage (a forge) have any.
 */
import { BackgroundCache } from '../../../core/backgroundCache';
import type { Hosts } from './hosts';
import type { VersionCalls } from './source';

export class UsageCounts {
  // Fresh enough for a hover; a minute keeps the forge from being asked on every keystroke.
  // A failed fetch keeps nothing: usage is a nicety, and a forge without it shows none.
  private readonly known = new BackgroundCache<Map<string, VersionCalls>>({ freshForMs: 60_000, maxEntries: 2_000 });

  constructor(
    private readonly hosts: Hosts,
    /** Told once fetched usage is kept, so a client can hover again. */
    private readonly onReady: (host: string, repo: string, id: string) => void = () => {},
  ) {}

  /** The version's usage if known; starts a fetch when it is missing or old. */
  of(host: string, repo: string, id: string, sha: string): VersionCalls | undefined {
    const source = this.hosts.source(host);
    if (!source?.usage) return undefined;
    return this.known.peek(JSON.stringify([host, repo, id]), async () => {
      const versions = bySha(await source.usage!(repo, id));
      // After the cache has kept the value (it does so once this promise settles).
      setImmediate(() => this.onReady(host, repo, id));
      return versions;
    })?.get(sha);
  }

  /** Keeps usage fetched for another reason (the tree, the Render & Test panel). */
  remember(host: string, repo: string, id: string, versions: VersionCalls[]): void {
    this.known.set(JSON.stringify([host, repo, id]), bySha(versions));
  }
}

const bySha = (versions: VersionCalls[]) => new Map(versions.map((v) => [v.sha, v]));

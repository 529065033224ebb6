/**
 * Per-version call counts and success rates, kept in memory for a minute per prompt so a
 * hover shows them without waiting: the first hover starts the fetch in the background,
 * later ones show what arrived. Only sources that record usage (a forge) have any.
 */
import { LRUCache } from 'lru-cache';
import type { Hosts } from './hosts';
import type { VersionCalls } from './source';

type BySha = Map<string, VersionCalls>;

export class UsageCounts {
  // Fresh enough for a hover; a minute keeps the forge from being asked on every keystroke.
  // An old value is still shown while one refresh runs (allowStale); a failed fetch keeps
  // nothing: usage is a nicety, and a forge without it shows none.
  private readonly known = new LRUCache<string, BySha, () => Promise<BySha>>({
    max: 2_000,
    ttl: 60_000,
    allowStale: true,
    noDeleteOnStaleGet: true,
    fetchMethod: (_key, _stale, { context }) => context(),
  });

  constructor(
    private readonly hosts: Hosts,
    /** Told once fetched usage is kept, so a client can hover again. */
    private readonly onReady: (host: string, repo: string, id: string) => void = () => {},
  ) {}

  /** The version's usage if known; starts a fetch when it is missing or old. */
  of(host: string, repo: string, id: string, sha: string): VersionCalls | undefined {
    const source = this.hosts.source(host);
    if (!source?.usage) return undefined;
    const key = JSON.stringify([host, repo, id]);
    if (!this.known.has(key)) {
      this.known
        .fetch(key, { context: async () => bySha(await source.usage!(repo, id)) })
        .then(() => this.onReady(host, repo, id))
        .catch(() => undefined);
    }
    return this.known.get(key)?.get(sha);
  }

  /** Keeps usage fetched for another reason (the tree, the Render & Test panel). */
  remember(host: string, repo: string, id: string, versions: VersionCalls[]): void {
    this.known.set(JSON.stringify([host, repo, id]), bySha(versions));
  }
}

const bySha = (versions: VersionCalls[]): BySha => new Map(versions.map((v) => [v.sha, v]));

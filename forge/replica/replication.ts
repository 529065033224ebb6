/**
 * The forge's part in a deployment of several: repos it pushes (primary) and repos it
 * follows (replica). Built from the config before the stores open (mirrors must exist
 * to be opened), wired to the stores after.
 */
import type { ForgeConfig } from '../config';
import type { PromptStore } from '../store';
import { Mirror, type FollowState } from './mirror';
import { Pusher, type PushState } from './pusher';

export interface ReplicationStatus {
  role: 'primary' | 'replica' | 'mixed' | 'single';
  primary?: string;
  push: Record<string, PushState>;
  follow: Record<string, FollowState>;
}

export class Replication {
  readonly mirrors = new Map<string, Mirror>();
  readonly pushers = new Map<string, Pusher>();

  constructor(
    private readonly config: Pick<ForgeConfig, 'repos' | 'push' | 'follow' | 'primary' | 'fetchEveryMs' | 'notify'>,
    private readonly log: (line: string) => void,
  ) {}

  /** Clones the mirrors that are missing, so the stores can open them. */
  async prepare(): Promise<void> {
    for (const [name, url] of this.config.follow) {
      const mirror = new Mirror(name, url, this.config.repos.get(name)!, this.log);
      this.mirrors.set(name, mirror);
      await mirror.prepare().catch((error: Error) => {
        throw new Error(`repo "${name}": cannot mirror ${url}: ${error.message}`);
      });
    }
  }

  /** Starts fetching and pushing, now that the stores are open. */
  async start(stores: Map<string, PromptStore>): Promise<void> {
    for (const [name, mirror] of this.mirrors) {
      const store = stores.get(name)!;
      // Re-read the refs at once rather than waiting for the watcher to notice.
      mirror.onFetched = () => store.refresh();
      mirror.start(this.config.fetchEveryMs);
    }
    for (const [name, remote] of this.config.push) {
      const pusher = new Pusher(name, stores.get(name)!.gitDir, remote, this.log, () => this.notify(name));
      this.pushers.set(name, pusher);
      await pusher.start();
    }
  }

  /** The primary's URL when `repo` is a read-only mirror here, else undefined. */
  readOnly(repo: string): { primary: string | null } | undefined {
    return this.mirrors.has(repo) ? { primary: this.config.primary ?? null } : undefined;
  }

  /** Fetches one followed repo, or all, now. */
  async fetch(repo?: string): Promise<string[]> {
    const mirrors = repo === undefined ? [...this.mirrors.values()] : [this.mirrors.get(repo)].filter((m) => m !== undefined);
    await Promise.all(mirrors.map((m) => m.fetch()));
    return mirrors.map((m) => m.name);
  }

  status(): ReplicationStatus {
    const push = Object.fromEntries([...this.pushers].map(([n, p]) => [n, p.state]));
    const follow = Object.fromEntries([...this.mirrors].map(([n, m]) => [n, m.state]));
    const role = this.pushers.size && this.mirrors.size ? 'mixed' : this.pushers.size ? 'primary' : this.mirrors.size ? 'replica' : 'single';
    return { role, ...(this.config.primary && this.mirrors.size ? { primary: this.config.primary } : {}), push, follow };
  }

  /** Asks each replica to fetch at once (best effort: their timer is the backstop). */
  private notify(repo: string): void {
    for (const base of this.config.notify) {
      void fetch(`${base}/api/v1/hooks/fetch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ repo }), signal: AbortSignal.timeout(5000) })
        .then((r) => r.body?.cancel())
        .catch(() => {});
    }
  }

  async close(): Promise<void> {
    for (const m of this.mirrors.values()) m.close();
    await Promise.all([...this.pushers.values()].map((p) => p.close()));
  }
}

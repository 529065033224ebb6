/**
 * Rendered prompt versions kept in memory, keyed by the immutable SHA and the params,
 * so a hover shows a render without asking the source again. Renders of local repos
 * are cheap and awaited; a remote render is started in the background and shown once
 * it arrives.
 */
import { LRUCache } from 'lru-cache';
import type { RenderedVersion } from './source';
import type { Hosts } from './hosts';

export type RenderOutcome = { ok: true; value: RenderedVersion } | { ok: false; message: string };

type Render = () => Promise<RenderedVersion>;

export class Renders {
  // `fetch` runs one render per key at a time; a failed one is not kept (a forge may be
  // restarting), so the next hover asks again.
  private readonly done = new LRUCache<string, RenderedVersion, Render>({ max: 500, fetchMethod: (_key, _stale, { context }) => context() });

  constructor(
    private readonly hosts: Hosts,
    /** Told when a background (remote) render is kept, so a client can hover again. */
    private readonly onReady: (host: string, repo: string, id: string, sha: string) => void = () => {},
  ) {}

  /** The render if known; otherwise starts it and, for local hosts, waits for it. */
  async get(host: string, repo: string, id: string, sha: string, params: Record<string, unknown>): Promise<RenderOutcome | undefined> {
    const key = JSON.stringify([host, repo, id, sha, params]);
    const known = this.done.get(key);
    if (known) return { ok: true, value: known };
    const source = this.hosts.source(host);
    if (!source) return undefined;
    const run = this.done.fetch(key, { context: () => source.render(repo, id, sha, params) }).then(
      (value): RenderOutcome => {
        if (source.kind === 'remote') this.onReady(host, repo, id, sha);
        return { ok: true, value: value! };
      },
      (error: unknown): RenderOutcome => ({ ok: false, message: error instanceof Error ? error.message : String(error) }),
    );
    return source.kind === 'local' ? run : undefined;
  }
}

/**
 * Rendered prompt versions kept in memory, keyed by the immutable SHA and the params,
 * so a hover shows a render without asking the source again. Renders of local repos
 * are cheap and awaited; a remote render is started in the background and shown once
 * it arrives.
 */
import type { RenderedVersion } from './source';
import type { Hosts } from './hosts';

export type RenderOutcome = { ok: true; value: RenderedVersion } | { ok: false; message: string };

const maxEntries = 500;

export class Renders {
  private readonly done = new Map<string, RenderOutcome>();
  private readonly pending = new Map<string, Promise<RenderOutcome>>();

  constructor(
    private readonly hosts: Hosts,
    /** Told when a background (remote) render is kept, so a client can hover again. */
    private readonly onReady: (host: string, repo: string, id: string, sha: string) => void = () => {},
  ) {}

  /** The render if known; otherwise starts it and, for local hosts, waits for it. */
  async get(host: string, repo: string, id: string, sha: string, params: Record<string, unknown>): Promise<RenderOutcome | undefined> {
    const key = JSON.stringify([host, repo, id, sha, params]);
    const known = this.done.get(key);
    if (known) return known;
    const source = this.hosts.source(host);
    if (!source) return undefined;
    let run = this.pending.get(key);
    if (!run) {
      run = source.render(repo, id, sha, params).then(
        (value): RenderOutcome => ({ ok: true, value }),
        (error: unknown): RenderOutcome => ({ ok: false, message: error instanceof Error ? error.message : String(error) }),
      );
      this.pending.set(key, run);
      void run.then((outcome) => {
        this.pending.delete(key);
        if (!outcome.ok) return; // a failure may be passing (a forge restarting): ask again next time
        this.done.set(key, outcome);
        if (this.done.size > maxEntries) this.done.delete(this.done.keys().next().value as string);
        if (source.kind === 'remote') this.onReady(host, repo, id, sha);
      });
    }
    return source.kind === 'local' ? run : undefined;
  }
}

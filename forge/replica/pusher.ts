/**
 * A primary's push of every write to its remote. Any ref change (a commit, a release, a
 * label move, the promotion history and everything else under refs/promptforge/) starts
 * one `git push --atomic` of explicit refspecs: all of them land on the remote or none
 * does. Branches, tags and history refs only fast-forward (a remote that moved on
 * is reported, never overwritten); labels may move back (a rollback), so they are forced,
 * and labels deleted here are deleted there. A failed push is retried with backoff and
 * shown in /healthz and the log until one succeeds; a push that starts at open carries
 * anything a forge killed mid-push had acknowledged.
 */
import { git } from './mirror';
import { watchRefs, type RefWatcher } from '../store/watch';

export interface PushState {
  remote: string;
  /** `ok`, `pending` (a push is running or due) or `failing`. */
  status: 'ok' | 'pending' | 'failing';
  lastPushAt: string | null;
  lastError: string | null;
  attempts: number;
}

const SPECS = ['refs/heads/*:refs/heads/*', 'refs/tags/*:refs/tags/*', '+refs/labels/*:refs/labels/*', 'refs/promptforge/*:refs/promptforge/*'];
const MAX_BACKOFF_MS = 60_000;

export class Pusher {
  readonly state: PushState;
  private watcher: RefWatcher | null = null;
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    readonly name: string,
    readonly gitDir: string,
    readonly remote: string,
    private readonly log: (line: string) => void,
    /** Called after each push that succeeded (replicas' fetch hooks). */
    private readonly pushed: () => void = () => {},
    private readonly firstRetryMs = 500,
  ) {
    this.state = { remote, status: 'pending', lastPushAt: null, lastError: null, attempts: 0 };
  }

  /** Pushes now (whatever a previous run left unpushed) and after every ref change. */
  start(): Promise<void> {
    this.watcher = watchRefs(this.gitDir, () => void this.push().catch(() => {}), 500);
    return this.push().catch(() => {});
  }

  /** One push after the current one; calls made while one is queued share it. */
  push(): Promise<void> {
    if (this.queued) return this.queued;
    this.state.status = this.state.status === 'failing' ? 'failing' : 'pending';
    const run = this.chain.then(() => {
      this.queued = null;
      return this.closed ? undefined : this.pushOnce();
    });
    this.queued = run;
    this.chain = run.catch(() => {});
    return run;
  }

  private async pushOnce(): Promise<void> {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.state.attempts++;
    try {
      const remoteLabels = await git(['--git-dir', this.gitDir, 'ls-remote', '--refs', '--', this.remote, 'refs/labels/*']);
      const localLabels = new Set((await git(['--git-dir', this.gitDir, 'for-each-ref', '--format=%(refname)', 'refs/labels/'])).split('\n').filter(Boolean));
      const deletions = remoteLabels.split('\n').map((l) => l.split('\t')[1]).filter((ref) => ref && !localLabels.has(ref)).map((ref) => `:${ref}`);
      await git(['--git-dir', this.gitDir, 'push', '--atomic', '--quiet', '--', this.remote, ...SPECS, ...deletions]);
    } catch (error) {
      const message = (error as Error).message;
      const delay = Math.min(this.firstRetryMs * 2 ** Math.min(this.state.attempts - 1, 16), MAX_BACKOFF_MS);
      this.log(`push: ${this.name} → ${this.remote} failed (attempt ${this.state.attempts}, next in ${Math.round(delay / 1000)} s): ${message}`);
      Object.assign(this.state, { status: 'failing', lastError: message });
      if (!this.closed) {
        this.retry = setTimeout(() => void this.push().catch(() => {}), delay);
        this.retry.unref();
      }
      throw error;
    }
    if (this.state.status === 'failing') this.log(`push: ${this.name} → ${this.remote} works again`);
    Object.assign(this.state, { status: this.queued ? 'pending' : 'ok', lastError: null, attempts: 0, lastPushAt: new Date().toISOString() });
    this.pushed();
  }

  /** Stops watching; a push under way is finished first (so an acknowledged write is not cut off mid-way by a clean stop). */
  async close(): Promise<void> {
    this.watcher?.close();
    if (this.retry) clearTimeout(this.retry);
    if (this.state.status !== 'ok') await this.push().catch(() => {});
    this.closed = true;
    await this.chain;
  }
}

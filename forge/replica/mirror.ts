/**
 * A replica's copy of a repo: a bare mirror (`git clone --mirror`) of the primary's
 * remote, fetched on a timer and whenever the fetch hook is called. Fetches never
 * overlap: a call made during a fetch runs one more fetch after it, so the caller always
 * gets refs at least as new as when it asked. The prompt store on the mirror sees the
 * fetched refs like any other ref change and sends the same events as the primary.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { gitEnv } from '../store/git/run';

export interface FollowState {
  url: string;
  lastFetchAt: string | null;
  lastError: string | null;
  fetches: number;
}

export class Mirror {
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | null = null;
  private closed = false;
  readonly state: FollowState;
  /** Called after every fetch that succeeded (the store re-reads its refs at once). */
  onFetched: () => Promise<void> = async () => {};

  constructor(
    readonly name: string,
    readonly url: string,
    readonly dir: string,
    private readonly log: (line: string) => void,
  ) {
    this.state = { url, lastFetchAt: null, lastError: null, fetches: 0 };
  }

  /** Clones the mirror when it is missing; an existing one is fetched instead. */
  async prepare(): Promise<void> {
    if (existsSync(dir(this.dir))) {
      await git(['--git-dir', this.dir, 'remote', 'set-url', 'origin', this.url]);
      await this.fetch().catch(() => {}); // a remote down at start: serve what the mirror has
      return;
    }
    mkdirSync(dirname(this.dir), { recursive: true });
    await git(['clone', '--mirror', '--quiet', '--', this.url, this.dir]);
    this.state.lastFetchAt = new Date().toISOString();
  }

  /** Fetches on a timer from now on. */
  start(everyMs: number): void {
    const tick = () => {
      this.timer = setTimeout(() => void this.fetch().catch(() => {}).finally(() => !this.closed && tick()), everyMs);
      this.timer.unref();
    };
    tick();
  }

  fetch(): Promise<void> {
    if (this.queued) return this.queued;
    const run = this.chain.then(() => {
      this.queued = null;
      return this.closed ? undefined : this.fetchOnce();
    });
    this.queued = run;
    this.chain = run.catch(() => {});
    return run;
  }

  private async fetchOnce(): Promise<void> {
    try {
      // A mirror's refspec is +refs/*:refs/*: labels may move back, deleted refs go.
      await git(['--git-dir', this.dir, 'fetch', '--prune', '--quiet', 'origin']);
      this.state.fetches++;
      this.state.lastFetchAt = new Date().toISOString();
      if (this.state.lastError) this.log(`replica: ${this.name}: fetching from ${this.url} works again`);
      this.state.lastError = null;
    } catch (error) {
      const message = (error as Error).message;
      if (this.state.lastError !== message) this.log(`replica: ${this.name}: cannot fetch from ${this.url}: ${message}; serving what the mirror has`);
      this.state.lastError = message;
      throw error;
    }
    await this.onFetched();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }
}

function dir(path: string): string {
  return `${path}/HEAD`;
}

export function git(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { env: gitEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', (e) => reject(new Error(`cannot run git: ${e.message}`)));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(err.trim().split('\n').slice(-3).join(' ') || `git ${args[0]} exit ${code}`))));
  });
}

/**
 * Long-lived `git cat-file --batch` / `--batch-check` processes, one pair per repo.
 * Requests are pipelined (written at once, answered in order); a process that dies is
 * restarted and the requests it had not answered are sent again. Blobs are immutable,
 * so they are cached by object id in a bounded LRU.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { StoreError } from '../errors';
import { gitEnv } from './run';

export interface GitObject {
  oid: string;
  type: string;
  size: number;
  /** Absent for --batch-check answers. */
  content?: Buffer;
}

interface Pending {
  line: string;
  attempts: number;
  resolve: (value: GitObject | null) => void;
  reject: (error: Error) => void;
}

const MAX_ATTEMPTS = 3;

/** One cat-file process speaking the batch protocol, restarted when it dies. */
export class BatchProcess {
  private child: ChildProcessWithoutNullStreams | null = null;
  private queue: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private header: { oid: string; type: string; size: number } | null = null;
  private closed = false;

  constructor(
    private readonly gitDir: string,
    private readonly withContent: boolean,
  ) {}

  /** Pid of the running process (spawned on first use). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  request(name: string): Promise<GitObject | null> {
    if (/[\n\r\0]/.test(name)) return Promise.reject(new StoreError('invalid_name', `object name contains a line break: ${JSON.stringify(name)}`));
    if (this.closed) return Promise.reject(new StoreError('git_failed', 'the store is closed'));
    return new Promise((resolve, reject) => {
      const pending: Pending = { line: name + '\n', attempts: 0, resolve, reject };
      this.queue.push(pending);
      this.send(pending);
    });
  }

  close(): void {
    this.closed = true;
    const child = this.child;
    this.child = null;
    child?.stdin.end();
    for (const p of this.queue.splice(0)) p.reject(new StoreError('git_failed', 'the store is closed'));
  }

  private send(pending: Pending): void {
    pending.attempts++;
    this.ensureChild().stdin.write(pending.line);
  }

  private ensureChild(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn('git', ['--git-dir', this.gitDir, 'cat-file', this.withContent ? '--batch' : '--batch-check'], {
      env: gitEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    this.buffer = Buffer.alloc(0);
    this.header = null;
    child.stdout.on('data', (chunk: Buffer) => {
      if (this.child !== child) return;
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    child.stderr.resume();
    child.stdin.on('error', () => {}); // handled by 'exit'
    child.on('error', () => this.onExit(child));
    child.on('exit', () => this.onExit(child));
    return child;
  }

  /** Parses as many complete answers as the buffer holds. */
  private drain(): void {
    for (;;) {
      if (this.header === null) {
        const nl = this.buffer.indexOf(10);
        if (nl < 0) return;
        const line = this.buffer.subarray(0, nl).toString('utf8');
        this.buffer = this.buffer.subarray(nl + 1);
        const pending = this.queue.shift();
        if (!pending) continue;
        const parts = line.split(' ');
        if (parts.length === 3 && /^[0-9a-f]{40,64}$/.test(parts[0])) {
          const header = { oid: parts[0], type: parts[1], size: Number(parts[2]) };
          if (!this.withContent) {
            pending.resolve(header);
            continue;
          }
          this.header = header;
          this.queue.unshift(pending); // answered once the content has arrived
          continue;
        }
        // `<name> missing`, `<name> ambiguous`, …: not an object we can read.
        pending.resolve(null);
        continue;
      }
      const need = this.header.size + 1; // content plus the trailing newline
      if (this.buffer.length < need) return;
      const content = Buffer.from(this.buffer.subarray(0, this.header.size));
      this.buffer = this.buffer.subarray(need);
      const pending = this.queue.shift()!;
      pending.resolve({ ...this.header, content });
      this.header = null;
    }
  }

  private onExit(child: ChildProcessWithoutNullStreams): void {
    if (this.child !== child) return;
    this.child = null;
    if (this.closed) return;
    // Whatever was unanswered goes to a fresh process, unless it keeps killing them.
    const retry = this.queue.splice(0);
    for (const p of retry) {
      if (p.attempts >= MAX_ATTEMPTS) p.reject(new StoreError('git_failed', `git cat-file keeps exiting while reading ${p.line.trim()}`));
      else this.queue.push(p);
    }
    for (const p of this.queue) this.send(p);
  }
}

/** Reads objects by name; blob contents cached by object id up to a byte budget. */
export class ObjectReader {
  readonly batch: BatchProcess;
  readonly check: BatchProcess;
  private readonly cache = new Map<string, Buffer>();
  private cachedBytes = 0;

  constructor(gitDir: string, private readonly maxCacheBytes = 64 * 1024 * 1024) {
    this.batch = new BatchProcess(gitDir, true);
    this.check = new BatchProcess(gitDir, false);
  }

  /** The content of a blob by object id (or any name git resolves to a blob). */
  async blob(name: string): Promise<Buffer | null> {
    const hit = this.cache.get(name);
    if (hit) {
      this.cache.delete(name); // move to the most-recent end
      this.cache.set(name, hit);
      return hit;
    }
    const obj = await this.batch.request(name);
    if (!obj || obj.type !== 'blob' || !obj.content) return null;
    this.remember(obj.oid, obj.content);
    return obj.content;
  }

  async object(name: string): Promise<GitObject | null> {
    return this.batch.request(name);
  }

  async info(name: string): Promise<GitObject | null> {
    return this.check.request(name);
  }

  close(): void {
    this.batch.close();
    this.check.close();
    this.cache.clear();
  }

  private remember(oid: string, content: Buffer): void {
    if (this.cache.has(oid) || content.length > this.maxCacheBytes / 8) return;
    this.cache.set(oid, content);
    this.cachedBytes += content.length;
    for (const [key, value] of this.cache) {
      if (this.cachedBytes <= this.maxCacheBytes) break;
      this.cache.delete(key);
      this.cachedBytes -= value.length;
    }
  }
}

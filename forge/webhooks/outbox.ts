/**
 * Webhook deliveries from a persistent outbox: an event is written to SQLite in the
 * same moment it is announced, then sent in the background, so a write never waits on a
 * receiver and a restart (or a SIGKILL) loses nothing. Each message keeps one
 * `webhook-id` across retries, so receivers can drop duplicates; failures are retried
 * with exponential backoff and every attempt is logged.
 */
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { signatureHeaders } from './sign';

export interface WebhookTarget {
  url: string;
  secret: string;
  /** Event types or globs (`request.*`); empty = all. */
  events: string[];
}

export interface Attempt {
  at: string;
  status: number | null;
  error?: string;
  ms: number;
}

export interface Delivery {
  id: string;
  url: string;
  type: string;
  createdAt: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: Attempt[];
  nextAttemptAt: string | null;
}

export interface OutboxOptions {
  /** First retry delay; doubled each attempt up to `maxDelayMs`. Default 1000. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Attempts before a message is marked failed. Default 12 (about an hour with the defaults). */
  maxAttempts?: number;
  timeoutMs?: number;
  log?(line: string): void;
}

const DDL = `
CREATE TABLE IF NOT EXISTS messages (
  id         TEXT PRIMARY KEY,
  url        TEXT NOT NULL,
  type       TEXT NOT NULL,
  body       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  status     TEXT NOT NULL DEFAULT 'pending',
  next_at    INTEGER,
  tries      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS messages_due ON messages (next_at) WHERE status = 'pending';
CREATE TABLE IF NOT EXISTS attempts (
  message_id TEXT NOT NULL,
  at         INTEGER NOT NULL,
  status     INTEGER,
  error      TEXT,
  ms         REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_by_message ON attempts (message_id, at);
`;

export class WebhookOutbox {
  private readonly db: Database.Database;
  private timer: NodeJS.Timeout | null = null;
  private pumping = false;
  private again = false;
  private closed = false;
  private readonly opts: Required<Omit<OutboxOptions, 'log'>> & Pick<OutboxOptions, 'log'>;

  constructor(
    path: string,
    private readonly targets: WebhookTarget[],
    opts: OutboxOptions = {},
  ) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(DDL);
    this.opts = { baseDelayMs: 1000, maxDelayMs: 5 * 60_000, maxAttempts: 12, timeoutMs: 10_000, ...opts };
    // Whatever a previous run left pending goes out now.
    this.schedule(0);
  }

  /** Queues one message per target that wants this event type. */
  enqueue(type: string, data: Record<string, unknown>): void {
    if (this.closed) return;
    const wanted = this.targets.filter((t) => t.events.length === 0 || t.events.some((e) => matches(e, type)));
    if (wanted.length === 0) return;
    const now = Date.now();
    const insert = this.db.prepare('INSERT INTO messages (id, url, type, body, created_at, next_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const target of wanted) {
        const id = `msg_${randomBytes(12).toString('base64url')}`;
        insert.run(id, target.url, type, JSON.stringify({ type, timestamp: new Date(now).toISOString(), data }), now, now);
      }
    })();
    this.schedule(0);
  }

  deliveries(limit = 100): Delivery[] {
    const rows = this.db.prepare('SELECT * FROM messages ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit) as Row[];
    const attempts = this.db.prepare('SELECT * FROM attempts WHERE message_id = ? ORDER BY at');
    return rows.map((r) => ({
      id: r.id,
      url: r.url,
      type: r.type,
      createdAt: new Date(r.created_at).toISOString(),
      status: r.status as Delivery['status'],
      nextAttemptAt: r.status === 'pending' && r.next_at !== null ? new Date(r.next_at).toISOString() : null,
      attempts: (attempts.all(r.id) as AttemptRow[]).map((a) => ({ at: new Date(a.at).toISOString(), status: a.status, ms: a.ms, ...(a.error ? { error: a.error } : {}) })),
    }));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.db.close();
  }

  private schedule(delay: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pump(), delay);
    this.timer.unref();
  }

  /** Sends every due message (a few at a time), then sleeps until the next one is due. */
  private async pump(): Promise<void> {
    if (this.closed) return;
    // One pump at a time, so a message is never sent twice at once; a call during a pump runs it again after.
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        const due = this.db.prepare("SELECT * FROM messages WHERE status = 'pending' AND next_at <= ? ORDER BY next_at LIMIT 16").all(Date.now()) as Row[];
        await Promise.all(due.map((row) => this.send(row)));
        if (due.length === 16) this.again = true;
      } while (this.again && !this.closed);
    } finally {
      this.pumping = false;
    }
    if (this.closed) return;
    const next = this.db.prepare("SELECT MIN(next_at) AS at FROM messages WHERE status = 'pending'").get() as { at: number | null };
    if (next.at !== null) this.schedule(Math.max(0, next.at - Date.now()));
  }

  private async send(row: Row): Promise<void> {
    const target = this.targets.find((t) => t.url === row.url);
    const started = performance.now();
    let status: number | null = null;
    let error: string | undefined;
    if (!target) {
      error = 'no webhook with this URL is configured any more';
    } else {
      try {
        const timestamp = Math.floor(Date.now() / 1000);
        const res = await fetch(row.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'promptforge-webhooks', ...signatureHeaders(target.secret, row.id, timestamp, row.body) },
          body: row.body,
          signal: AbortSignal.timeout(this.opts.timeoutMs),
        });
        status = res.status;
        await res.arrayBuffer().catch(() => undefined);
        if (!res.ok) error = `answered ${res.status}`;
      } catch (e) {
        error = (e as Error).name === 'TimeoutError' ? `no answer within ${this.opts.timeoutMs} ms` : ((e as { cause?: Error }).cause?.message ?? (e as Error).message);
      }
    }
    if (this.closed) return;
    const ms = performance.now() - started;
    const tries = row.tries + 1;
    const done = error === undefined;
    const gaveUp = !done && (tries >= this.opts.maxAttempts || !target || (status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429));
    const nextAt = done || gaveUp ? null : Date.now() + Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** (tries - 1));
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO attempts (message_id, at, status, error, ms) VALUES (?, ?, ?, ?, ?)').run(row.id, Date.now(), status, error ?? null, ms);
      this.db.prepare('UPDATE messages SET tries = ?, status = ?, next_at = ? WHERE id = ?').run(tries, done ? 'delivered' : gaveUp ? 'failed' : 'pending', nextAt, row.id);
    })();
    if (!done) this.opts.log?.(`webhook ${row.id} (${row.type}) to ${row.url}: ${error}${gaveUp ? '; giving up' : `; retry ${tries + 1} in ${Math.round((nextAt! - Date.now()) / 1000)} s`}`);
  }
}

interface Row {
  id: string;
  url: string;
  type: string;
  body: string;
  created_at: number;
  status: string;
  next_at: number | null;
  tries: number;
}

interface AttemptRow {
  at: number;
  status: number | null;
  error: string | null;
  ms: number;
}

function matches(pattern: string, type: string): boolean {
  return pattern === type || pattern === '*' || (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1)));
}

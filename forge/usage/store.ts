/**
 * The SQLite usage store: validated batches in, per-version metrics, chart series,
 * samples and exports out. Independent of the prompt store: whoever ingests passes a
 * resolver that says which release and labels a version carried when it was used.
 */
import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { decodeInto, encode } from './histogram';
import { validateBatch, validateEvent, type Rejection, type UsageEvent } from './event';
import { migrate } from './schema';
import { Tally, VersionTotals, type HourlyRow, type Observation, type VersionMetrics } from './tally';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What the prompt store knew about a version at ingest time; null = no such prompt. */
export interface VersionInfo {
  release: string | null;
  labels: string[];
}
export type VersionResolver = (repo: string, id: string, sha: string) => VersionInfo | null | Promise<VersionInfo | null>;

export interface IngestResult {
  accepted: number;
  rejected: Rejection[];
}

export interface UsageQuery {
  /** Only usage at or after this time (epoch ms). */
  since?: number;
  /** Only this version (full SHA). */
  sha?: string;
}

export interface SeriesPoint {
  /** Start of the bucket, ISO. */
  start: string;
  calls: number;
  successRate: number | null;
}
export interface Series {
  bucket: 'hour' | 'day';
  versions: { sha: string; points: SeriesPoint[] }[];
}

export interface Sample {
  at: string;
  sha: string;
  input: string | null;
  output: string | null;
  feedback: number | null;
  success: boolean | null;
  model: string | null;
}

/** One stored event as exported (CSV columns in this order). */
export interface ExportedEvent {
  at: string;
  repo: string;
  id: string;
  sha: string;
  release: string | null;
  labels: string;
  trackingId: string | null;
  success: boolean | null;
  latencyMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  model: string | null;
  feedback: number | null;
  metadata: string | null;
}

export interface UsageStoreOptions {
  /** Keep events this many days; 0 keeps them forever. Default 90. */
  retentionDays?: number;
  /** How often the retention sweep runs while open. Default one hour. */
  sweepEveryMs?: number;
  /** The clock, injectable for tests. */
  now?: () => number;
}

export type StoredEvent = UsageEvent & VersionInfo;

export class UsageStore {
  private readonly db: Database.Database;
  private readonly retentionDays: number;
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly st: ReturnType<typeof prepare>;
  private readonly writeBatch: (events: StoredEvent[]) => void;

  constructor(readonly path: string, options: UsageStoreOptions = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    migrate(this.db);
    this.st = prepare(this.db);
    this.retentionDays = options.retentionDays ?? 90;
    this.now = options.now ?? Date.now;
    this.writeBatch = this.db.transaction((events: StoredEvent[]) => this.writeInTransaction(events));
    this.sweep();
    if (this.retentionDays > 0) {
      this.timer = setInterval(() => this.sweep(), options.sweepEveryMs ?? HOUR);
      this.timer.unref();
    }
  }

  /** The journal mode SQLite reports (`wal` once open). */
  journalMode(): string {
    return this.db.pragma('journal_mode', { simple: true }) as string;
  }

  /**
   * Validates a `{events:[…]}` body and stores the good events in one transaction.
   * Throws `UsageBatchError` only for a malformed envelope; bad events are listed.
   */
  async ingest(body: unknown, resolve?: VersionResolver): Promise<IngestResult> {
    const raw = validateBatch(body);
    const now = this.now();
    const oldestAt = this.retentionDays > 0 ? now - this.retentionDays * DAY : 0;
    const rejected: Rejection[] = [];
    const good: { index: number; event: UsageEvent }[] = [];
    raw.forEach((item, index) => {
      const checked = validateEvent(item, now, oldestAt);
      if (checked.ok) good.push({ index, event: checked.event });
      else rejected.push({ index, code: checked.code, message: checked.message });
    });

    const infos = new Map<string, VersionInfo | null>();
    for (const { event } of good) {
      const key = versionKey(event);
      if (!infos.has(key)) infos.set(key, resolve ? await resolve(event.repo, event.id, event.sha) : { release: null, labels: [] });
    }
    const stored: StoredEvent[] = [];
    for (const { index, event } of good) {
      const info = infos.get(versionKey(event));
      if (info) stored.push({ ...event, ...info });
      else rejected.push({ index, code: 'unknown_prompt', message: `no prompt "${event.id}" in repo "${event.repo}"` });
    }
    this.record(stored);
    rejected.sort((a, b) => a.index - b.index);
    return { accepted: stored.length, rejected };
  }

  /** Stores already validated events in one transaction. */
  record(events: StoredEvent[]): void {
    if (events.length > 0) this.writeBatch(events);
  }

  private writeInTransaction(events: StoredEvent[]): void {
    const rollups = new Map<string, { event: StoredEvent; tally: Tally; hist: Map<number, number> }>();
    for (const e of events) {
      this.st.insertEvent.run(
        e.repo, e.id, e.sha, e.release, JSON.stringify(e.labels), e.at, e.trackingId,
        e.success === null ? null : Number(e.success), e.latencyMs, e.inputTokens, e.outputTokens,
        e.model, e.feedback, e.metadata && JSON.stringify(e.metadata), Number(e.consent), e.input, e.output,
      );
      const key = `${versionKey(e)}\0${hourOf(e.at)}`;
      let r = rollups.get(key);
      if (!r) rollups.set(key, (r = { event: e, tally: new Tally(), hist: new Map() }));
      const hist = r.hist;
      r.tally.observe(e, (bin) => hist.set(bin, (hist.get(bin) ?? 0) + 1));
    }
    for (const { event, tally, hist } of rollups.values()) {
      const hour = hourOf(event.at);
      const old = this.st.hourlyRow.get(event.repo, event.id, event.sha, hour) as HourlyRow | undefined;
      if (old) {
        tally.addRow(old);
        decodeInto(old.latency_hist, hist);
      }
      this.st.upsertHourly.run(
        event.repo, event.id, event.sha, hour, tally.calls, tally.successKnown, tally.successes,
        tally.latencyCount, hist.size ? encode(hist) : null, tally.inputTokens, tally.outputTokens,
        tally.feedbackSum, tally.feedbackCount, tally.firstAt, tally.lastAt, tally.release,
        JSON.stringify([...tally.labels].sort()),
      );
    }
  }

  /**
   * Metrics per version, most recently used first. Whole hours come from the rollup;
   * the part of an hour after `since` is read from raw events, so `since` is exact.
   */
  metrics(repo: string, id: string, query: UsageQuery = {}): { versions: VersionMetrics[] } {
    const totals = new Map<string, VersionTotals>();
    const of = (sha: string) => totals.get(sha) ?? totals.set(sha, new VersionTotals()).get(sha)!;
    const since = query.since ?? 0;
    const firstWholeHour = Math.ceil(since / HOUR);
    for (const row of this.hourlyRows(repo, id, firstWholeHour, query.sha)) of(row.sha).addRow(row);
    if (since < firstWholeHour * HOUR) {
      const rows = query.sha
        ? this.st.rawOfVersion.all(repo, id, query.sha, since, firstWholeHour * HOUR)
        : this.st.rawOfPrompt.all(repo, id, since, firstWholeHour * HOUR);
      for (const row of rows as RawRow[]) of(row.sha).observe(rawObservation(row));
    }
    const versions = [...totals].map(([sha, t]) => t.tally.metrics(sha, t.latencies));
    versions.sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? '') || a.sha.localeCompare(b.sha));
    return { versions };
  }

  /** Calls and success rate per version per hour or day (UTC), for charts. */
  series(repo: string, id: string, bucket: 'hour' | 'day', query: UsageQuery = {}): Series {
    const width = bucket === 'hour' ? 1 : 24;
    const fromHour = Math.floor((query.since ?? 0) / (width * HOUR)) * width;
    const byVersion = new Map<string, Map<number, Tally>>();
    for (const row of this.hourlyRows(repo, id, fromHour, query.sha)) {
      const start = Math.floor(row.hour / width) * width;
      const buckets = byVersion.get(row.sha) ?? byVersion.set(row.sha, new Map()).get(row.sha)!;
      const tally = buckets.get(start) ?? buckets.set(start, new Tally()).get(start)!;
      tally.addRow(row);
    }
    const versions = [...byVersion].map(([sha, buckets]) => ({
      sha,
      points: [...buckets]
        .sort(([a], [b]) => a - b)
        .map(([start, t]) => ({ start: new Date(start * HOUR).toISOString(), calls: t.calls, successRate: t.successRate() })),
    }));
    return { bucket, versions };
  }

  /** The most recent consented samples, newest first. */
  samples(repo: string, id: string, options: { sha?: string; limit?: number } = {}): Sample[] {
    const limit = options.limit ?? 20;
    const rows = (options.sha
      ? this.st.samplesOfVersion.all(repo, id, options.sha, limit)
      : this.st.samplesOfPrompt.all(repo, id, limit)) as RawRow[];
    return rows.map((r) => ({
      at: new Date(r.at).toISOString(),
      sha: r.sha,
      input: r.input,
      output: r.output,
      feedback: r.feedback,
      success: r.success === null ? null : r.success === 1,
      model: r.model,
    }));
  }

  /** Every stored event of a prompt, oldest first, streamed from disk. */
  *events(repo: string, id: string, query: UsageQuery = {}): Generator<ExportedEvent> {
    const since = query.since ?? 0;
    const rows = query.sha
      ? this.st.exportOfVersion.iterate(repo, id, query.sha, since)
      : this.st.exportOfPrompt.iterate(repo, id, since);
    for (const r of rows as Iterable<RawRow>) {
      yield {
        at: new Date(r.at).toISOString(),
        repo: r.repo,
        id: r.prompt_id,
        sha: r.sha,
        release: r.release,
        labels: r.labels,
        trackingId: r.tracking_id,
        success: r.success === null ? null : r.success === 1,
        latencyMs: r.latency_ms,
        inputTokens: r.input_tokens,
        outputTokens: r.output_tokens,
        model: r.model,
        feedback: r.feedback,
        metadata: r.metadata,
      };
    }
  }

  /** Deletes what is older than the retention window, in whole hours. */
  sweep(): number {
    if (this.retentionDays <= 0) return 0;
    const cutoffHour = Math.floor((this.now() - this.retentionDays * DAY) / HOUR);
    return this.db.transaction(() => {
      let deleted = 0;
      for (const p of this.st.promptsBefore.all(cutoffHour) as { repo: string; prompt_id: string }[]) {
        deleted += this.st.deleteEvents.run(p.repo, p.prompt_id, cutoffHour * HOUR).changes;
      }
      this.st.deleteHourly.run(cutoffHour);
      return deleted;
    })();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.db.open) this.db.close();
  }

  private hourlyRows(repo: string, id: string, fromHour: number, sha?: string): HourlyRow[] {
    return (sha ? this.st.hourlyOfVersion.all(repo, id, sha, fromHour) : this.st.hourlyOfPrompt.all(repo, id, fromHour)) as HourlyRow[];
  }
}

interface RawRow {
  repo: string;
  prompt_id: string;
  sha: string;
  release: string | null;
  labels: string;
  at: number;
  tracking_id: string | null;
  success: number | null;
  latency_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  model: string | null;
  feedback: number | null;
  metadata: string | null;
  input: string | null;
  output: string | null;
}

function prepare(db: Database.Database) {
  const s = (sql: string): Statement => db.prepare(sql);
  const raw = 'SELECT * FROM events WHERE repo = ? AND prompt_id = ?';
  return {
    insertEvent: s(`INSERT INTO events (repo, prompt_id, sha, release, labels, at, tracking_id, success, latency_ms,
      input_tokens, output_tokens, model, feedback, metadata, consent, input, output)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    hourlyRow: s('SELECT * FROM hourly WHERE repo = ? AND prompt_id = ? AND sha = ? AND hour = ?'),
    upsertHourly: s(`INSERT OR REPLACE INTO hourly (repo, prompt_id, sha, hour, calls, success_known, successes,
      latency_count, latency_hist, input_tokens, output_tokens, feedback_sum, feedback_count, first_at, last_at,
      release, labels) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    hourlyOfPrompt: s('SELECT * FROM hourly WHERE repo = ? AND prompt_id = ? AND hour >= ?'),
    hourlyOfVersion: s('SELECT * FROM hourly WHERE repo = ? AND prompt_id = ? AND sha = ? AND hour >= ?'),
    rawOfPrompt: s(`${raw} AND at >= ? AND at < ?`),
    rawOfVersion: s(`${raw} AND sha = ? AND at >= ? AND at < ?`),
    samplesOfPrompt: s(`${raw} AND consent = 1 ORDER BY at DESC LIMIT ?`),
    samplesOfVersion: s(`${raw} AND sha = ? AND consent = 1 ORDER BY at DESC LIMIT ?`),
    exportOfPrompt: s(`${raw} AND at >= ? ORDER BY at, seq`),
    exportOfVersion: s(`${raw} AND sha = ? AND at >= ? ORDER BY at, seq`),
    promptsBefore: s('SELECT DISTINCT repo, prompt_id FROM hourly WHERE hour < ?'),
    deleteEvents: s('DELETE FROM events WHERE repo = ? AND prompt_id = ? AND at < ?'),
    deleteHourly: s('DELETE FROM hourly WHERE hour < ?'),
  };
}

function versionKey(e: { repo: string; id: string; sha: string }): string {
  return `${e.repo}\0${e.id}\0${e.sha}`;
}

function hourOf(at: number): number {
  return Math.floor(at / HOUR);
}

function rawObservation(r: RawRow): Observation {
  return {
    at: r.at,
    success: r.success === null ? null : r.success === 1,
    latencyMs: r.latency_ms,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    feedback: r.feedback,
    release: r.release,
    labels: JSON.parse(r.labels) as string[],
  };
}

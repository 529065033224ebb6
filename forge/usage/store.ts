/**
 * The SQLite usage store: validated batches in, per-version metrics, chart series,
 * samples and exports out. Independent of the prompt store: whoever ingests passes a
 * resolver that says which release and labels a version carried when it was used.
 * One process writes a database file (it keeps recent rollup rows in memory); any
 * number may read it.
 */
import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { decodeInto, encode } from './histogram';
import { validateBatch, validateEvent, type Rejection, type UsageEvent } from './event';
import { migrate } from './schema';
import { Tally, VersionTotals, type Observation, type RollupRow, type VersionMetrics } from './tally';

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
  private readonly hot = new Map<string, Rollup>();

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
    const oldestAt = this.oldestKept();
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
    if (events.length === 0) return;
    try {
      this.writeBatch(events);
    } catch (e) {
      this.hot.clear(); // it may hold totals of the rolled-back transaction
      throw e;
    }
  }

  private writeInTransaction(events: StoredEvent[]): void {
    const touched = new Map<string, Rollup>();
    for (const e of events) {
      this.st.insertEvent.run(
        e.repo, e.id, e.sha, e.release, JSON.stringify(e.labels), e.at, e.trackingId,
        e.success === null ? null : Number(e.success), e.latencyMs, e.inputTokens, e.outputTokens,
        e.model, e.feedback, e.metadata && JSON.stringify(e.metadata), Number(e.consent), e.input, e.output,
      );
      for (const grain of GRAINS) {
        const start = Math.floor(e.at / (grain * HOUR)) * grain;
        const key = `${versionKey(e)}\0${grain}\0${start}`;
        let r = touched.get(key);
        if (!r) touched.set(key, (r = this.rollup(key, e, grain, start)));
        const hist = r.hist;
        r.tally.observe(e, (bin) => hist.set(bin, (hist.get(bin) ?? 0) + 1));
      }
    }
    for (const { repo, id, sha, grain, start, tally, hist } of touched.values()) {
      this.st.upsertRollup.run(
        repo, id, grain, sha, start, tally.calls, tally.successKnown, tally.successes,
        tally.latencyCount, hist.size ? encode(hist) : null, tally.inputTokens, tally.outputTokens,
        tally.feedbackSum, tally.feedbackCount, tally.firstAt, tally.lastAt, tally.release,
        JSON.stringify([...tally.labels].sort()),
      );
    }
  }

  /**
   * The running totals of one rollup row. Recently written rows stay in memory
   * (events arrive in time order, so a batch mostly lands in the rows the last one
   * touched), which spares reading and decoding their histograms again.
   */
  private rollup(key: string, e: StoredEvent, grain: number, start: number): Rollup {
    let r = this.hot.get(key);
    if (r) {
      this.hot.delete(key); // re-inserted below: most recently used last
    } else {
      r = { repo: e.repo, id: e.id, sha: e.sha, grain, start, tally: new Tally(), hist: new Map() };
      const row = this.st.rollupRow.get(e.repo, e.id, grain, e.sha, start) as RollupRow | undefined;
      if (row) {
        r.tally.addRow(row);
        decodeInto(row.latency_hist, r.hist);
      }
    }
    this.hot.set(key, r);
    if (this.hot.size > HOT_ROLLUPS) this.hot.delete(this.hot.keys().next().value!);
    return r;
  }

  /**
   * Metrics per version, most recently used first. Whole days come from the daily
   * rollup, the whole hours before them from the hourly one, and the part of an hour
   * after `since` from raw events — so `since` is exact and a query reads few rows.
   */
  metrics(repo: string, id: string, query: UsageQuery = {}): { versions: VersionMetrics[] } {
    const totals = new Map<string, VersionTotals>();
    const of = (sha: string) => totals.get(sha) ?? totals.set(sha, new VersionTotals()).get(sha)!;
    const since = query.since ?? 0;
    const firstWholeHour = Math.ceil(since / HOUR);
    const firstWholeDay = Math.ceil(since / DAY) * 24;
    for (const row of this.rollupRows(repo, id, 24, firstWholeDay, Infinity, query.sha)) of(row.sha).addRow(row);
    for (const row of this.rollupRows(repo, id, 1, firstWholeHour, firstWholeDay, query.sha)) of(row.sha).addRow(row);
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
    const grain = bucket === 'hour' ? 1 : 24;
    const from = Math.floor((query.since ?? 0) / (grain * HOUR)) * grain;
    const rows = (query.sha
      ? this.st.seriesOfVersion.all(repo, id, grain, from, query.sha)
      : this.st.seriesOfPrompt.all(repo, id, grain, from)) as SeriesRow[];
    const byVersion = new Map<string, SeriesPoint[]>();
    for (const r of rows) {
      const points = byVersion.get(r.sha) ?? byVersion.set(r.sha, []).get(r.sha)!;
      const successRate = r.success_known === 0 ? null : r.successes / r.success_known;
      points.push({ start: new Date(r.start * HOUR).toISOString(), calls: r.calls, successRate });
    }
    return { bucket, versions: [...byVersion].map(([sha, points]) => ({ sha, points })) };
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

  /**
   * Every stored event of a prompt, oldest first, read from disk a page at a time — no
   * statement stays open between pages, so writes go on while an export is streamed.
   */
  *events(repo: string, id: string, query: UsageQuery = {}): Generator<ExportedEvent> {
    let after = { at: (query.since ?? 0) - 1, seq: Number.MAX_SAFE_INTEGER };
    for (;;) {
      const page = (query.sha
        ? this.st.exportOfVersion.all(repo, id, query.sha, after.at, after.seq, EXPORT_PAGE)
        : this.st.exportOfPrompt.all(repo, id, after.at, after.seq, EXPORT_PAGE)) as (RawRow & { seq: number })[];
      if (page.length === 0) return;
      after = page[page.length - 1];
      yield* page.map(exported);
      if (page.length < EXPORT_PAGE) return;
    }
  }

  /** Deletes events and rollups older than the retention window, in whole UTC days. */
  sweep(): number {
    const cutoff = this.oldestKept();
    if (cutoff === 0) return 0;
    return this.db.transaction(() => {
      let deleted = 0;
      for (const p of this.st.promptsBefore.all(cutoff / HOUR) as { repo: string; prompt_id: string }[]) {
        deleted += this.st.deleteEvents.run(p.repo, p.prompt_id, cutoff).changes;
      }
      this.st.deleteRollups.run(cutoff / HOUR);
      this.hot.clear();
      return deleted;
    })();
  }

  /** Start of the retention window (a UTC midnight), or 0 when everything is kept. */
  private oldestKept(): number {
    return this.retentionDays > 0 ? Math.floor((this.now() - this.retentionDays * DAY) / DAY) * DAY : 0;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.db.open) this.db.close();
  }

  private rollupRows(repo: string, id: string, grain: number, fromHour: number, toHour: number, sha?: string): RollupRow[] {
    if (fromHour >= toHour) return [];
    const to = Number.isFinite(toHour) ? toHour : Number.MAX_SAFE_INTEGER;
    return (sha
      ? this.st.rollupsOfVersion.all(repo, id, grain, sha, fromHour, to)
      : this.st.rollupsOfPrompt.all(repo, id, grain, fromHour, to)) as RollupRow[];
  }
}

interface SeriesRow {
  sha: string;
  start: number;
  calls: number;
  success_known: number;
  successes: number;
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
    rollupRow: s('SELECT * FROM rollups WHERE repo = ? AND prompt_id = ? AND grain = ? AND sha = ? AND start = ?'),
    upsertRollup: s(`INSERT OR REPLACE INTO rollups (repo, prompt_id, grain, sha, start, calls, success_known, successes,
      latency_count, latency_hist, input_tokens, output_tokens, feedback_sum, feedback_count, first_at, last_at,
      release, labels) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    rollupsOfPrompt: s('SELECT * FROM rollups WHERE repo = ? AND prompt_id = ? AND grain = ? AND start >= ? AND start < ?'),
    rollupsOfVersion: s('SELECT * FROM rollups WHERE repo = ? AND prompt_id = ? AND grain = ? AND sha = ? AND start >= ? AND start < ?'),
    seriesOfPrompt: s(`SELECT sha, start, calls, success_known, successes FROM rollups INDEXED BY rollups_series
      WHERE repo = ? AND prompt_id = ? AND grain = ? AND start >= ? ORDER BY start`),
    seriesOfVersion: s(`SELECT sha, start, calls, success_known, successes FROM rollups INDEXED BY rollups_series
      WHERE repo = ? AND prompt_id = ? AND grain = ? AND start >= ? AND sha = ? ORDER BY start`),
    rawOfPrompt: s(`${raw} AND at >= ? AND at < ?`),
    rawOfVersion: s(`${raw} AND sha = ? AND at >= ? AND at < ?`),
    samplesOfPrompt: s(`${raw} AND consent = 1 ORDER BY at DESC LIMIT ?`),
    samplesOfVersion: s(`${raw} AND sha = ? AND consent = 1 ORDER BY at DESC LIMIT ?`),
    exportOfPrompt: s(`${raw} AND (at, seq) > (?, ?) ORDER BY at, seq LIMIT ?`),
    exportOfVersion: s(`${raw} AND sha = ? AND (at, seq) > (?, ?) ORDER BY at, seq LIMIT ?`),
    promptsBefore: s('SELECT DISTINCT repo, prompt_id FROM rollups WHERE grain = 24 AND start < ?'),
    deleteEvents: s('DELETE FROM events WHERE repo = ? AND prompt_id = ? AND at < ?'),
    deleteRollups: s('DELETE FROM rollups WHERE start < ?'),
  };
}

function exported(r: RawRow): ExportedEvent {
  return {
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

function versionKey(e: { repo: string; id: string; sha: string }): string {
  return `${e.repo}\0${e.id}\0${e.sha}`;
}

/** Rollup grains, in hours. */
const GRAINS = [1, 24] as const;
/** Rollup rows kept in memory between batches. */
const HOT_ROLLUPS = 512;
/** Events read per query while exporting. */
const EXPORT_PAGE = 1000;

interface Rollup {
  repo: string;
  id: string;
  sha: string;
  grain: number;
  start: number;
  tally: Tally;
  hist: Map<number, number>;
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

/**
 * The SQLite usage store: validated batches in, per-version metrics, chart series,
 * samples and exports out. Independent of the prompt store: whoever ingests passes a
 * resolver that says which release and labels a version carried when it was used.
 * One process writes a database file (it keeps recent rollup rows in memory); any
 * number may read it.
 */
import Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { decodeInto, encode } from './histogram';
import { intake, versionKey } from './intake';
import { openLayout, prepare } from './schema';
import { exported, rawObservation, sample, type RawRow, type SeriesRow } from './rows';
import { experimentQueries } from './experiments';
import type { VariantTotals } from '../../core/experiments/results';
import { Tally, VersionTotals, type RollupRow, type VersionMetrics } from './tally';
import type {
  ExportedEvent, IngestResult, Sample, Series, SeriesPoint, StoredEvent, UsageQuery, UsageStoreOptions, VersionResolver,
} from './types';

export type * from './types';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Rollup grains, in hours. */
const GRAINS = [1, 24] as const;
/** Rollup rows kept in memory between batches. */
const HOT_ROLLUPS = 512;
/** Events read per query while exporting. */
const EXPORT_PAGE = 1000;

export class UsageStore {
  private readonly db: Database.Database;
  private readonly retentionDays: number;
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly st: ReturnType<typeof prepare>;
  private readonly writeBatch: (events: StoredEvent[]) => void;
  private readonly hot = new LRUCache<string, Rollup>({ max: HOT_ROLLUPS });
  /** Integer ids of prompts (`repo\0id`) and versions (`pid\0sha`); few, so all in memory. */
  private readonly pids = new Map<string, number>();
  private readonly vids = new Map<string, number>();
  private experimentQueries: ReturnType<typeof experimentQueries> | undefined;

  constructor(readonly path: string, options: UsageStoreOptions = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    openLayout(this.db);
    this.st = prepare(this.db);
    this.loadIds();
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
    const { stored, rejected } = await intake(body, this.now(), this.oldestKept(), resolve);
    this.record(stored);
    return { accepted: stored.length, rejected };
  }

  /** Stores already validated events in one transaction. */
  record(events: StoredEvent[]): void {
    if (events.length === 0) return;
    try {
      this.writeBatch(events);
    } catch (e) {
      // The caches may hold totals and ids of the rolled-back transaction.
      this.hot.clear();
      this.loadIds();
      throw e;
    }
  }

  private writeInTransaction(events: StoredEvent[]): void {
    const touched = new Map<string, Rollup>();
    for (const e of events) {
      const pid = this.pidOf(e.repo, e.id, true)!;
      this.st.insertEvent.run(
        pid, this.vidOf(pid, e.sha, true), e.release, JSON.stringify(e.labels), e.at, e.trackingId,
        e.success === null ? null : Number(e.success), e.latencyMs, e.inputTokens, e.outputTokens,
        e.model, e.feedback, e.metadata && JSON.stringify(e.metadata), Number(e.consent), e.input, e.output,
        e.experiment ?? null, e.variant ?? null,
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
    if (!r) {
      r = { repo: e.repo, id: e.id, sha: e.sha, grain, start, tally: new Tally(), hist: new Map() };
      const row = this.st.rollupRow.get(e.repo, e.id, grain, e.sha, start) as RollupRow | undefined;
      if (row) {
        r.tally.addRow(row);
        decodeInto(row.latency_hist, r.hist);
      }
      this.hot.set(key, r);
    }
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
      for (const row of this.rawRows(repo, id, query.sha, since, firstWholeHour * HOUR)) of(row.sha).observe(rawObservation(row));
    }
    const versions = [...totals].map(([sha, t]) => t.tally.metrics(sha, t.latencies));
    versions.sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? '') || a.sha.localeCompare(b.sha));
    return { versions };
  }

  /** Usage of one experiment per variant (DESIGN §7), from its events. */
  experimentTotals(experiment: string): Map<string, VariantTotals> {
    return (this.experimentQueries ??= experimentQueries(this.db)).totals(experiment);
  }

  /** Calls per prompt of a repo in the whole UTC days since `since` (epoch ms), for the web console's catalog. */
  callsByPrompt(repo: string, since: number): Record<string, number> {
    const rows = this.db
      .prepare('SELECT prompt_id AS id, SUM(calls) AS calls FROM rollups WHERE repo = ? AND grain = 24 AND start >= ? GROUP BY prompt_id')
      .all(repo, Math.floor(since / DAY) * 24) as { id: string; calls: number }[];
    return Object.fromEntries(rows.map((r) => [r.id, r.calls]));
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
    const pid = this.pidOf(repo, id);
    const vid = pid === undefined || options.sha === undefined ? undefined : this.vidOf(pid, options.sha);
    if (pid === undefined || (options.sha !== undefined && vid === undefined)) return [];
    const rows = (vid !== undefined ? this.st.samplesOfVersion.all(pid, vid, limit) : this.st.samplesOfPrompt.all(pid, limit)) as RawRow[];
    return rows.map(sample);
  }

  /**
   * Every stored event of a prompt, oldest first, read from disk a page at a time — no
   * statement stays open between pages, so writes go on while an export is streamed.
   */
  *events(repo: string, id: string, query: UsageQuery = {}): Generator<ExportedEvent> {
    const pid = this.pidOf(repo, id);
    const vid = pid === undefined || query.sha === undefined ? undefined : this.vidOf(pid, query.sha);
    if (pid === undefined || (query.sha !== undefined && vid === undefined)) return;
    let after = { at: (query.since ?? 0) - 1, seq: Number.MAX_SAFE_INTEGER };
    for (;;) {
      const page = (vid !== undefined
        ? this.st.exportOfVersion.all(vid, after.at, after.seq, EXPORT_PAGE)
        : this.st.exportOfPrompt.all(pid, after.at, after.seq, EXPORT_PAGE)) as RawRow[];
      if (page.length === 0) return;
      after = page[page.length - 1];
      yield* page.map((r) => exported(r, repo, id));
      if (page.length < EXPORT_PAGE) return;
    }
  }

  /** Deletes events and rollups older than the retention window, in whole UTC days. */
  sweep(): number {
    const cutoff = this.oldestKept();
    if (cutoff === 0) return 0;
    return this.db.transaction(() => {
      let deleted = 0;
      for (const pid of this.pids.values()) deleted += this.st.deleteEvents.run(pid, cutoff).changes;
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

  private loadIds(): void {
    this.pids.clear();
    this.vids.clear();
    for (const p of this.st.promptIds.all() as { pid: number; repo: string; prompt_id: string }[]) this.pids.set(`${p.repo}\0${p.prompt_id}`, p.pid);
    for (const v of this.st.versionIds.all() as { vid: number; pid: number; sha: string }[]) this.vids.set(`${v.pid}\0${v.sha}`, v.vid);
  }

  private pidOf(repo: string, id: string, create = false): number | undefined {
    const key = `${repo}\0${id}`;
    let pid = this.pids.get(key);
    if (pid === undefined && create) this.pids.set(key, (pid = Number(this.st.insertPrompt.run(repo, id).lastInsertRowid)));
    return pid;
  }

  private vidOf(pid: number, sha: string, create = false): number | undefined {
    const key = `${pid}\0${sha}`;
    let vid = this.vids.get(key);
    if (vid === undefined && create) this.vids.set(key, (vid = Number(this.st.insertVersion.run(pid, sha).lastInsertRowid)));
    return vid;
  }

  private rawRows(repo: string, id: string, sha: string | undefined, from: number, to: number): RawRow[] {
    const pid = this.pidOf(repo, id);
    if (pid === undefined) return [];
    if (sha === undefined) return this.st.rawOfPrompt.all(pid, from, to) as RawRow[];
    const vid = this.vidOf(pid, sha);
    return vid === undefined ? [] : (this.st.rawOfVersion.all(vid, from, to) as RawRow[]);
  }

  private rollupRows(repo: string, id: string, grain: number, fromHour: number, toHour: number, sha?: string): RollupRow[] {
    if (fromHour >= toHour) return [];
    const to = Number.isFinite(toHour) ? toHour : Number.MAX_SAFE_INTEGER;
    return (sha
      ? this.st.rollupsOfVersion.all(repo, id, grain, sha, fromHour, to)
      : this.st.rollupsOfPrompt.all(repo, id, grain, fromHour, to)) as RollupRow[];
  }
}


interface Rollup {
  repo: string;
  id: string;
  sha: string;
  grain: number;
  start: number;
  tally: Tally;
  hist: Map<number, number>;
}

/**
 * The Postgres usage store: the same answers as the SQLite store, in a database that
 * every forge of a deployment shares, so metrics and experiment results are the same
 * whichever forge is asked. A batch is one transaction of three statements whatever its
 * size (events, rollups, latency bins, each sent as arrays and expanded by `unnest`).
 * When the database cannot be reached every call fails at once with
 * `UsageUnavailableError` (503); the pool reconnects by itself when it is back.
 */
import pg from 'pg';
import { intake, versionKey } from './intake';
import { migratePg } from './pgSchema';
import { exported, rawObservation, sample, type RawRow } from './rows';
import { UsageUnavailableError, type UsageSink } from './sink';
import { Tally, VersionTotals, type RollupRow, type VersionMetrics } from './tally';
import type { ExportedEvent, IngestResult, Sample, Series, SeriesPoint, StoredEvent, UsageQuery, UsageStoreOptions, VersionResolver } from './types';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const GRAINS = [1, 24] as const;
const EXPORT_PAGE = 1000;

/** BIGINT and NUMERIC (sums) as JS numbers: epoch ms and counts stay far below 2^53. */
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === 20 || oid === 1700 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
};

export interface PgUsageOptions extends UsageStoreOptions {
  /** How long a call waits for a connection before answering 503. Default 1500 ms. */
  connectTimeoutMs?: number;
  /** Connections per forge. Default 8. */
  poolSize?: number;
  /** Where connection trouble is reported (once per outage). */
  log?: (line: string) => void;
}

export class PgUsageStore implements UsageSink {
  private readonly pool: pg.Pool;
  private readonly retentionDays: number;
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly log: (line: string) => void;
  private migrated: Promise<void> | null = null;
  private down = false;

  constructor(readonly url: string, options: PgUsageOptions = {}) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 8,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 1500,
      idleTimeoutMillis: 30_000,
      types,
    } as pg.PoolConfig);
    // An idle connection that dies (server restarted) must not crash the forge; the next query reconnects.
    this.pool.on('error', () => {});
    this.retentionDays = options.retentionDays ?? 90;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
    if (this.retentionDays > 0) {
      this.timer = setInterval(() => void this.sweep().catch(() => {}), options.sweepEveryMs ?? HOUR);
      this.timer.unref();
    }
  }

  /** Opens a store and creates its tables; a database that is down now is not an error (calls answer 503 until it is up). */
  static async open(url: string, options: PgUsageOptions = {}): Promise<PgUsageStore> {
    const store = new PgUsageStore(url, options);
    try {
      await store.ready();
      await store.sweep();
    } catch (error) {
      if (!(error instanceof UsageUnavailableError)) {
        await store.close();
        throw error;
      }
    }
    return store;
  }

  /** The layout exists (made once per store, again after a failed attempt). */
  async ready(): Promise<void> {
    this.migrated ??= this.withClient((c) => migratePg(c)).catch((error) => {
      this.migrated = null;
      throw error;
    });
    return this.migrated;
  }

  async ingest(body: unknown, resolve?: VersionResolver): Promise<IngestResult> {
    const { stored, rejected } = await intake(body, this.now(), this.oldestKept(), resolve);
    await this.record(stored);
    return { accepted: stored.length, rejected };
  }

  /** Stores already validated events in one transaction. */
  async record(events: StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.ready();
    const ev = eventColumns(events);
    const { rollups, bins } = rollupColumns(events);
    await this.withClient(async (c) => {
      await c.query('BEGIN');
      try {
        await c.query(INSERT_EVENTS, ev);
        await c.query(UPSERT_ROLLUPS, rollups);
        if (bins[0].length > 0) await c.query(UPSERT_LATENCY, bins);
        await c.query('COMMIT');
      } catch (error) {
        await c.query('ROLLBACK').catch(() => {});
        throw error;
      }
    });
  }

  /** Same composition as the SQLite store: whole days, then whole hours, then raw events after `since`. */
  async metrics(repo: string, id: string, query: UsageQuery = {}): Promise<{ versions: VersionMetrics[] }> {
    await this.ready();
    const since = query.since ?? 0;
    const firstWholeHour = Math.ceil(since / HOUR);
    const firstWholeDay = Math.ceil(since / DAY) * 24;
    const span = `repo = $1 AND prompt_id = $2 AND ($3::text IS NULL OR sha = $3)
      AND ((grain = 24 AND start >= $4) OR (grain = 1 AND start >= $5 AND start < $4))`;
    const args = [repo, id, query.sha ?? null, firstWholeDay, firstWholeHour];
    const rawTo = firstWholeHour * HOUR;
    const [rows, bins, raw] = await Promise.all([
      this.query<PgRollupRow>(`SELECT * FROM usage_rollups WHERE ${span}`, args),
      this.query<{ sha: string; bin: number; n: number }>(`SELECT sha, bin, sum(count) AS n FROM usage_latency WHERE ${span} GROUP BY sha, bin`, args),
      since < rawTo
        ? this.query<RawRow>(`SELECT * FROM usage_events WHERE repo = $1 AND prompt_id = $2 AND ($3::text IS NULL OR sha = $3) AND at >= $4 AND at < $5`, [repo, id, query.sha ?? null, since, rawTo])
        : Promise.resolve([]),
    ]);
    const totals = new Map<string, VersionTotals>();
    const of = (sha: string) => totals.get(sha) ?? totals.set(sha, new VersionTotals()).get(sha)!;
    for (const row of rows) of(row.sha).tally.addRow(asRollupRow(row));
    for (const b of bins) of(b.sha).latencies[b.bin] += b.n;
    for (const r of raw) of(r.sha).observe(rawObservation(sqliteShaped(r)));
    const versions = [...totals].map(([sha, t]) => t.tally.metrics(sha, t.latencies));
    versions.sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? '') || a.sha.localeCompare(b.sha));
    return { versions };
  }

  async series(repo: string, id: string, bucket: 'hour' | 'day', query: UsageQuery = {}): Promise<Series> {
    await this.ready();
    const grain = bucket === 'hour' ? 1 : 24;
    const from = Math.floor((query.since ?? 0) / (grain * HOUR)) * grain;
    const rows = await this.query<{ sha: string; start: number; calls: number; success_known: number; successes: number }>(
      `SELECT sha, start, calls, success_known, successes FROM usage_rollups
       WHERE repo = $1 AND prompt_id = $2 AND grain = $3 AND start >= $4 AND ($5::text IS NULL OR sha = $5) ORDER BY start, sha`,
      [repo, id, grain, from, query.sha ?? null],
    );
    const byVersion = new Map<string, SeriesPoint[]>();
    for (const r of rows) {
      const points = byVersion.get(r.sha) ?? byVersion.set(r.sha, []).get(r.sha)!;
      points.push({ start: new Date(r.start * HOUR).toISOString(), calls: r.calls, successRate: r.success_known === 0 ? null : r.successes / r.success_known });
    }
    return { bucket, versions: [...byVersion].map(([sha, points]) => ({ sha, points })) };
  }

  async samples(repo: string, id: string, options: { sha?: string; limit?: number } = {}): Promise<Sample[]> {
    await this.ready();
    const rows = await this.query<RawRow>(
      `SELECT * FROM usage_events WHERE repo = $1 AND prompt_id = $2 AND consent AND ($3::text IS NULL OR sha = $3) ORDER BY at DESC, seq DESC LIMIT $4`,
      [repo, id, options.sha ?? null, options.limit ?? 20],
    );
    return rows.map((r) => sample(sqliteShaped(r)));
  }

  /** Every stored event of a prompt, oldest first, a page at a time (no cursor held between pages). */
  async *events(repo: string, id: string, query: UsageQuery = {}): AsyncGenerator<ExportedEvent> {
    await this.ready();
    let after = { at: (query.since ?? 0) - 1, seq: Number.MAX_SAFE_INTEGER };
    for (;;) {
      const page = await this.query<RawRow>(
        `SELECT * FROM usage_events WHERE repo = $1 AND prompt_id = $2 AND ($3::text IS NULL OR sha = $3) AND (at, seq) > ($4, $5) ORDER BY at, seq LIMIT $6`,
        [repo, id, query.sha ?? null, after.at, after.seq, EXPORT_PAGE],
      );
      if (page.length === 0) return;
      after = page[page.length - 1];
      yield* page.map((r) => exported(sqliteShaped(r), repo, id));
      if (page.length < EXPORT_PAGE) return;
    }
  }

  /** Deletes events and rollups older than the retention window, in whole UTC days. */
  async sweep(): Promise<number> {
    const cutoff = this.oldestKept();
    if (cutoff === 0) return 0;
    await this.ready();
    return this.withClient(async (c) => {
      const { rowCount } = await c.query('DELETE FROM usage_events WHERE at < $1', [cutoff]);
      await c.query('DELETE FROM usage_rollups WHERE start < $1', [cutoff / HOUR]);
      await c.query('DELETE FROM usage_latency WHERE start < $1', [cutoff / HOUR]);
      return rowCount ?? 0;
    });
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.pool.end().catch(() => {});
  }

  private oldestKept(): number {
    return this.retentionDays > 0 ? Math.floor((this.now() - this.retentionDays * DAY) / DAY) * DAY : 0;
  }

  private async query<T extends object>(sql: string, args: unknown[]): Promise<T[]> {
    return this.withClient(async (c) => (await c.query<T>(sql, args)).rows);
  }

  /** Runs `fn` on a pooled connection; connection trouble becomes `UsageUnavailableError`. */
  private async withClient<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.unavailable(error);
    }
    let broken = false;
    try {
      const out = await fn(client);
      if (this.down) {
        this.down = false;
        this.log('usage: the Postgres usage database is reachable again');
      }
      return out;
    } catch (error) {
      broken = isConnectionError(error);
      throw broken ? this.unavailable(error) : error;
    } finally {
      client.release(broken);
    }
  }

  private unavailable(error: unknown): UsageUnavailableError {
    const detail = (error as Error)?.message || String(error);
    if (!this.down) {
      this.down = true;
      this.log(`usage: cannot reach the Postgres usage database: ${detail}; usage answers 503 until it is back`);
    }
    return new UsageUnavailableError(detail);
  }
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? '';
  if (/^(08|57P0|53)/.test(code)) return true; // connection exception, shutdown, insufficient resources
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(code)) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test((error as Error)?.message ?? '');
}

/** A Postgres event row in the shape rows.ts reads (booleans as 0/1). */
function sqliteShaped(r: RawRow): RawRow {
  const row = r as unknown as Record<string, unknown>;
  return { ...r, success: row.success === null ? null : row.success ? 1 : 0, consent: row.consent ? 1 : 0 };
}

interface PgRollupRow extends Omit<RollupRow, 'labels'> {
  labels: string[];
  release_at: number | null;
}

function asRollupRow(r: PgRollupRow): RollupRow {
  return { ...r, labels: JSON.stringify(r.labels), latency_hist: null };
}

const EVENT_COLUMNS = `repo, prompt_id, sha, release, labels, at, tracking_id, success, latency_ms, input_tokens, output_tokens, model, feedback, metadata, consent, input, output`;
const INSERT_EVENTS = `INSERT INTO usage_events (${EVENT_COLUMNS})
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::boolean[],
    $9::float8[], $10::bigint[], $11::bigint[], $12::text[], $13::float8[], $14::text[], $15::boolean[], $16::text[], $17::text[])`;

function eventColumns(events: StoredEvent[]): unknown[][] {
  const cols: unknown[][] = Array.from({ length: 17 }, () => new Array(events.length));
  events.forEach((e, i) => {
    const values = [e.repo, e.id, e.sha, e.release, e.labels === undefined ? null : JSON.stringify(e.labels), e.at, e.trackingId, e.success,
      e.latencyMs, e.inputTokens, e.outputTokens, e.model, e.feedback, e.metadata && JSON.stringify(e.metadata), e.consent, e.input, e.output];
    for (let c = 0; c < 17; c++) cols[c][i] = values[c] ?? null;
  });
  return cols;
}

const KEY = 'repo, prompt_id, grain, sha, start';
const UPSERT_ROLLUPS = `INSERT INTO usage_rollups AS r (${KEY}, calls, success_known, successes, latency_count, input_tokens, output_tokens,
    feedback_sum, feedback_count, first_at, last_at, release, release_at, labels)
  SELECT ${KEY}, calls, success_known, successes, latency_count, input_tokens, output_tokens, feedback_sum, feedback_count,
    first_at, last_at, release, release_at, ARRAY(SELECT json_array_elements_text(labels::json))
  FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[],
    $10::bigint[], $11::bigint[], $12::float8[], $13::bigint[], $14::bigint[], $15::bigint[], $16::text[], $17::bigint[], $18::text[])
    AS t(repo, prompt_id, grain, sha, start, calls, success_known, successes, latency_count, input_tokens, output_tokens,
      feedback_sum, feedback_count, first_at, last_at, release, release_at, labels)
  ON CONFLICT (${KEY}) DO UPDATE SET
    calls = r.calls + excluded.calls,
    success_known = r.success_known + excluded.success_known,
    successes = r.successes + excluded.successes,
    latency_count = r.latency_count + excluded.latency_count,
    input_tokens = r.input_tokens + excluded.input_tokens,
    output_tokens = r.output_tokens + excluded.output_tokens,
    feedback_sum = r.feedback_sum + excluded.feedback_sum,
    feedback_count = r.feedback_count + excluded.feedback_count,
    first_at = LEAST(r.first_at, excluded.first_at),
    last_at = GREATEST(r.last_at, excluded.last_at),
    release = CASE WHEN excluded.release IS NOT NULL AND excluded.release_at >= coalesce(r.release_at, -1) THEN excluded.release ELSE r.release END,
    release_at = CASE WHEN excluded.release IS NOT NULL AND excluded.release_at >= coalesce(r.release_at, -1) THEN excluded.release_at ELSE r.release_at END,
    labels = ARRAY(SELECT DISTINCT l FROM unnest(r.labels || excluded.labels) AS l ORDER BY l)`;
const UPSERT_LATENCY = `INSERT INTO usage_latency AS h (${KEY}, bin, count)
  SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::bigint[], $6::smallint[], $7::bigint[])
  ON CONFLICT (${KEY}, bin) DO UPDATE SET count = h.count + excluded.count`;

/**
 * The batch's totals per rollup row and per latency bin, in key order: every forge
 * locks rows in the same order, so concurrent batches never deadlock.
 */
function rollupColumns(events: StoredEvent[]): { rollups: unknown[][]; bins: unknown[][] } {
  const rows = new Map<string, { e: StoredEvent; grain: number; start: number; tally: Tally; releaseAt: number | null; hist: Map<number, number> }>();
  for (const e of events) {
    for (const grain of GRAINS) {
      const start = Math.floor(e.at / (grain * HOUR)) * grain;
      const key = `${versionKey(e)}\0${grain}\0${String(start).padStart(16, '0')}`;
      let r = rows.get(key);
      if (!r) rows.set(key, (r = { e, grain, start, tally: new Tally(), releaseAt: null, hist: new Map() }));
      const hist = r.hist;
      r.tally.observe(e, (bin) => hist.set(bin, (hist.get(bin) ?? 0) + 1));
      if (e.release !== null && (r.releaseAt === null || e.at >= r.releaseAt)) r.releaseAt = e.at;
    }
  }
  const rollups: unknown[][] = Array.from({ length: 18 }, () => []);
  const bins: unknown[][] = Array.from({ length: 7 }, () => []);
  for (const key of [...rows.keys()].sort()) {
    const { e, grain, start, tally: t, releaseAt, hist } = rows.get(key)!;
    const values = [e.repo, e.id, grain, e.sha, start, t.calls, t.successKnown, t.successes, t.latencyCount, t.inputTokens, t.outputTokens,
      t.feedbackSum, t.feedbackCount, t.firstAt, t.lastAt, t.release, releaseAt, JSON.stringify([...t.labels].sort())];
    values.forEach((v, c) => rollups[c].push(v));
    for (const bin of [...hist.keys()].sort((a, b) => a - b)) {
      [e.repo, e.id, grain, e.sha, start, bin, hist.get(bin)].forEach((v, c) => bins[c].push(v));
    }
  }
  return { rollups, bins };
}

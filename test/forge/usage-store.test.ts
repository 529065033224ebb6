import { execFileSync } from 'node:child_process';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { UsageStore, type VersionResolver } from '../../forge/usage/store';
import { PgUsageStore } from '../../forge/usage/pgStore';
import { testPostgres } from './support/postgres';
import { csvRow, eventChunks, metricsCsv, seriesCsv } from '../../forge/usage/export';
import { defaultUsageDb } from '../../forge/usage/location';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const V1 = '1'.repeat(40);
const V2 = '2'.repeat(40);
const iso = (t: number) => new Date(t).toISOString();

type AnyStore = UsageStore | PgUsageStore;
type Options = ConstructorParameters<typeof UsageStore>[1];

/**
 * The same suite runs against both engines: the embedded SQLite store and the Postgres
 * one (a real server started by the harness). `place` names a new empty store;
 * `scratch` a store to throw away after one property run.
 */
interface Backend {
  name: string;
  place(dir: string): Promise<string>;
  open(place: string, options?: Options): Promise<AnyStore>;
  scratch(options?: Options): Promise<AnyStore>;
}

let pgScratch: string | undefined;
let pgScratchStore: PgUsageStore | undefined;
const backends: Backend[] = [
  {
    name: 'SQLite',
    place: async (dir) => join(dir, 'usage', `usage-${Math.random().toString(36).slice(2)}.db`),
    open: async (place, options) => new UsageStore(place, options),
    scratch: async (options) => new UsageStore(':memory:', options),
  },
  {
    name: 'Postgres',
    place: async () => (await testPostgres()).database(),
    open: (place, options) => PgUsageStore.open(place, options),
    scratch: async (options) => {
      // One store for every property run (a pool per run would dominate the time), emptied first.
      pgScratch ??= await (await testPostgres()).database();
      pgScratchStore ??= await PgUsageStore.open(pgScratch, options);
      const { default: pg } = await import('pg');
      const c = new pg.Client(pgScratch);
      await c.connect();
      await c.query('TRUNCATE usage_events, usage_rollups, usage_latency');
      await c.end();
      return Object.create(pgScratchStore, { close: { value: async () => {} } }) as PgUsageStore;
    },
  },
];

async function all<T>(items: Iterable<T> | AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

for (const backend of backends) {
describe(`usage store (${backend.name})`, function () {
  this.timeout(120_000);
  let dir: string;
  let now: number;
  let place: string;
  let store: AnyStore;
  const open = (options = {}) => backend.open(place, { now: () => now, ...options });
  const resolver: VersionResolver = (repo, _id, sha) =>
    repo !== 'demo' ? null : sha === V1 ? { release: '1.0.0', labels: ['production'] } : { release: null, labels: ['staging'] };
  const ev = (sha: string, at: number, fields: Record<string, unknown> = {}) => ({ repo: 'demo', id: 'welcome', sha, at: iso(at), ...fields });

  before(async () => {
    if (backend.name === 'Postgres') await testPostgres(); // the first start may take a while
  });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pf-usage-'));
    now = T0 + 48 * HOUR;
    place = await backend.place(dir);
    store = await open();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('computes calls, success rate, percentiles, tokens, feedback and first/last seen per version', async () => {
    const events = [];
    for (let i = 1; i <= 100; i++) {
      events.push(ev(V1, T0 + i * 60_000, { success: i % 4 !== 0, latencyMs: i, inputTokens: 10, outputTokens: 2, feedback: i % 2 ? 1 : 0 }));
    }
    events.push(ev(V2, T0 + 5 * HOUR, { success: false, latencyMs: 1000, feedback: -1 }));
    events.push(ev(V2, T0 + 6 * HOUR, { latencyMs: 3000 }));
    const result = await store.ingest({ events }, resolver);
    assert.deepEqual(result, { accepted: 102, rejected: [] });

    const { versions } = (await store.metrics('demo', 'welcome'));
    assert.deepEqual(versions.map((v) => v.sha), [V2, V1], 'most recently used first');
    const [v2, v1] = versions;
    assert.deepEqual(v1, {
      sha: V1, release: '1.0.0', labels: ['production'], calls: 100, successRate: 0.75,
      latencyP50: 50, latencyP95: 95, inputTokens: 1000, outputTokens: 200, feedback: 0.5,
      firstSeen: iso(T0 + 60_000), lastSeen: iso(T0 + 100 * 60_000),
    });
    assert.equal(v2.calls, 2);
    assert.equal(v2.successRate, 0, 'events without "success" do not count towards the rate');
    assert.equal(v2.feedback, -1);
    assert.ok(Math.abs(v2.latencyP50! - 1000) / 1000 < 0.005, `p50 ${v2.latencyP50} within 0.5% of 1000`);
    assert.ok(Math.abs(v2.latencyP95! - 3000) / 3000 < 0.005, `p95 ${v2.latencyP95} within 0.5% of 3000`);
    assert.deepEqual(v2.labels, ['staging']);
  });

  it('merges batches that land in the same hour into the same numbers as one batch', async () => {
    const events = Array.from({ length: 40 }, (_, i) => ev(V1, T0 + i * 1000, { latencyMs: i * 10, success: i % 2 === 0 }));
    await store.ingest({ events: events.slice(0, 17) }, resolver);
    await store.ingest({ events: events.slice(17) }, resolver);
    const split = (await store.metrics('demo', 'welcome')).versions[0];
    const other = await backend.open(await backend.place(dir), { now: () => now });
    await other.ingest({ events }, resolver);
    assert.deepEqual(split, (await other.metrics('demo', 'welcome')).versions[0]);
    await other.close();
  });

  it('filters by since (exactly, inside an hour) and by version', async () => {
    const events = [0, 30, 90, 150].map((m) => ev(V1, T0 + m * 60_000, { latencyMs: m }));
    events.push(ev(V2, T0 + 100 * 60_000));
    await store.ingest({ events }, resolver);
    const since = async (t: number) => (await store.metrics('demo', 'welcome', { since: t })).versions;
    assert.deepEqual((await since(T0 + 30 * 60_000)).map((v) => [v.sha, v.calls]), [[V1, 3], [V2, 1]]);
    assert.deepEqual((await since(T0 + 31 * 60_000)).find((v) => v.sha === V1)?.calls, 2);
    assert.equal((await since(T0 + 31 * 60_000)).find((v) => v.sha === V1)?.firstSeen, iso(T0 + 90 * 60_000));
    assert.deepEqual((await since(T0 + 200 * 60_000)), []);
    const only = (await store.metrics('demo', 'welcome', { sha: V2, since: T0 + 30 * 60_000 })).versions;
    assert.deepEqual(only.map((v) => [v.sha, v.calls]), [[V2, 1]]);
    assert.deepEqual((await store.metrics('demo', 'other')).versions, [], 'other prompts see nothing');
  });

  it('answers any since/version query exactly as a brute-force pass over the events would', async () => {
    const event = fc.record({
      v: fc.constantFrom(V1, V2),
      at: fc.integer({ min: T0, max: T0 + 3 * 24 * HOUR }),
      success: fc.option(fc.boolean(), { nil: undefined }),
      latencyMs: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
      inputTokens: fc.option(fc.nat({ max: 1000 }), { nil: undefined }),
      feedback: fc.option(fc.constantFrom(-1, -0.5, 0, 0.5, 1), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 60 }), fc.integer({ min: T0 - HOUR, max: T0 + 3 * 24 * HOUR }), fc.boolean(), async (events, since, oneVersion) => {
        const mem = await backend.scratch({ now: () => T0 + 4 * 24 * HOUR, retentionDays: 0 });
        // Two batches, so rollups are both created and updated.
        const body = events.map(({ v, at, ...fields }) => ev(v, at, fields));
        await mem.ingest({ events: body.slice(0, body.length >> 1) }, resolver);
        await mem.ingest({ events: body.slice(body.length >> 1) }, resolver);
        const sha = oneVersion ? V1 : undefined;
        const got = (await mem.metrics('demo', 'welcome', { since, sha })).versions;
        await mem.close();
        for (const version of [V1, V2]) {
          const mine = events.filter((e) => e.v === version && e.at >= since && (!sha || sha === version));
          const m = got.find((g) => g.sha === version);
          if (mine.length === 0) {
            assert.equal(m, undefined);
            continue;
          }
          assert.ok(m, `metrics for ${version}`);
          const known = mine.filter((e) => e.success !== undefined);
          const rated = mine.filter((e) => e.feedback !== undefined);
          const lat = mine.flatMap((e) => (e.latencyMs === undefined ? [] : [e.latencyMs])).sort((a, b) => a - b);
          const rank = (p: number) => (lat.length ? lat[Math.max(1, Math.ceil((p / 100) * lat.length)) - 1] : null);
          const ats = mine.map((e) => e.at);
          assert.equal(m.calls, mine.length);
          assert.equal(m.successRate, known.length ? known.filter((e) => e.success).length / known.length : null);
          assert.equal(m.inputTokens, mine.reduce((n, e) => n + (e.inputTokens ?? 0), 0));
          assert.ok(m.feedback === null ? rated.length === 0 : Math.abs(m.feedback - rated.reduce((n, e) => n + e.feedback!, 0) / rated.length) < 1e-9);
          assert.deepEqual([m.latencyP50, m.latencyP95], [rank(50), rank(95)]);
          assert.deepEqual([m.firstSeen, m.lastSeen], [iso(Math.min(...ats)), iso(Math.max(...ats))]);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('charts any events into the same hourly and daily buckets a brute-force pass would', async () => {
    const event = fc.record({
      v: fc.constantFrom(V1, V2),
      at: fc.integer({ min: T0, max: T0 + 3 * 24 * HOUR }),
      success: fc.option(fc.boolean(), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 40 }), fc.constantFrom('hour' as const, 'day' as const), async (events, bucket) => {
        const mem = await backend.scratch({ now: () => T0 + 4 * 24 * HOUR, retentionDays: 0 });
        await mem.ingest({ events: events.map(({ v, at, ...fields }) => ev(v, at, fields)) }, resolver);
        const got = (await mem.series('demo', 'welcome', bucket));
        await mem.close();
        const width = bucket === 'hour' ? HOUR : 24 * HOUR;
        for (const version of [V1, V2]) {
          const expected = new Map<number, { calls: number; known: number; ok: number }>();
          for (const e of events.filter((x) => x.v === version)) {
            const start = Math.floor(e.at / width) * width;
            const b = expected.get(start) ?? expected.set(start, { calls: 0, known: 0, ok: 0 }).get(start)!;
            b.calls++;
            if (e.success !== undefined) b.known++;
            if (e.success) b.ok++;
          }
          const points = [...expected].sort(([a], [b]) => a - b).map(([start, b]) => ({ start: iso(start), calls: b.calls, successRate: b.known ? b.ok / b.known : null }));
          assert.deepEqual(got.versions.find((x) => x.sha === version)?.points ?? [], points);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('buckets calls and success rate by hour and by day', async () => {
    const events = [
      ev(V1, T0 + 10 * 60_000, { success: true }),
      ev(V1, T0 + 20 * 60_000, { success: false }),
      ev(V1, T0 + 2 * HOUR, { success: true }),
      ev(V1, T0 + 25 * HOUR, { success: true }),
      ev(V2, T0 + 25 * HOUR),
    ];
    await store.ingest({ events }, resolver);
    const hourly = (await store.series('demo', 'welcome', 'hour', { sha: V1 }));
    assert.deepEqual(hourly, {
      bucket: 'hour',
      versions: [{ sha: V1, points: [
        { start: iso(T0), calls: 2, successRate: 0.5 },
        { start: iso(T0 + 2 * HOUR), calls: 1, successRate: 1 },
        { start: iso(T0 + 25 * HOUR), calls: 1, successRate: 1 },
      ] }],
    });
    const daily = (await store.series('demo', 'welcome', 'day'));
    const v1 = daily.versions.find((v) => v.sha === V1)!;
    assert.deepEqual(v1.points, [
      { start: iso(T0), calls: 3, successRate: 2 / 3 },
      { start: iso(T0 + 24 * HOUR), calls: 1, successRate: 1 },
    ]);
    assert.deepEqual(daily.versions.find((v) => v.sha === V2)!.points, [{ start: iso(T0 + 24 * HOUR), calls: 1, successRate: null }]);
    assert.equal((await store.series('demo', 'welcome', 'day', { since: T0 + 26 * HOUR })).versions[0].points.length, 1);
    assert.equal(seriesCsv(daily).split('\r\n')[0], 'sha,start,calls,successRate');
  });

  it('rejects bad events one by one and stores the good ones of the same batch', async () => {
    const result = await store.ingest(
      { events: [ev(V1, T0), ev(V1, T0, { feedback: 9 }), { repo: 'nope', id: 'welcome', sha: V1 }, ev(V2, T0, { input: 'secret' }), ev(V2, T0)] },
      resolver,
    );
    assert.equal(result.accepted, 2);
    assert.deepEqual(result.rejected.map((r) => [r.index, r.code]), [[1, 'invalid_feedback'], [2, 'unknown_prompt'], [3, 'consent_required']]);
    assert.match(result.rejected[1].message, /nope/);
    assert.deepEqual((await store.metrics('demo', 'welcome')).versions.map((v) => v.calls), [1, 1]);
  });

  it('keeps samples only from consented events and returns the newest first', async () => {
    await store.ingest({ events: [
      ev(V1, T0, { consent: true, input: 'first in', output: 'first out', feedback: 1 }),
      ev(V1, T0 + 1000, { feedback: -1 }),
      ev(V2, T0 + 2000, { consent: true, output: 'second out', success: false }),
    ] }, resolver);
    const samples = (await store.samples('demo', 'welcome'));
    assert.deepEqual(samples.map((s) => [s.sha, s.input, s.output, s.feedback]), [[V2, null, 'second out', null], [V1, 'first in', 'first out', 1]]);
    assert.deepEqual((await store.samples('demo', 'welcome', { sha: V1 })).length, 1);
  });

  it('sweeps events and rollups older than the retention window, at open and on demand', async () => {
    await store.close();
    now = T0 + 10 * 24 * HOUR;
    store = await open({ retentionDays: 7 });
    const kept = await store.ingest({ events: [ev(V1, T0 + 4 * 24 * HOUR), ev(V1, T0 + 9 * 24 * HOUR)] }, resolver);
    assert.equal(kept.accepted, 2);
    const rejected = await store.ingest({ events: [ev(V1, T0)] }, resolver);
    assert.equal(rejected.rejected[0].code, 'at_too_old', 'an event already past retention is refused, not stored');

    now += 2 * 24 * HOUR;
    assert.equal((await store.sweep()), 1);
    assert.equal((await store.metrics('demo', 'welcome')).versions[0].calls, 1);
    assert.equal((await all(store.events('demo', 'welcome'))).length, 1);

    await store.ingest({ events: [ev(V1, T0 + 9 * 24 * HOUR + 1)] }, resolver);
    await store.close();
    now += 30 * 24 * HOUR;
    store = await open({ retentionDays: 7 });
    assert.deepEqual((await store.metrics('demo', 'welcome')).versions, [], 'swept when reopened');
  });

  it('survives a reopen with every acknowledged event and its rollup', async () => {
    await store.ingest({ events: [ev(V1, T0, { latencyMs: 7, success: true })] }, resolver);
    const before = (await store.metrics('demo', 'welcome'));
    await store.close();
    store = await open();
    assert.deepEqual((await store.metrics('demo', 'welcome')), before);
    await store.ingest({ events: [ev(V1, T0 + 1, { latencyMs: 9, success: false })] }, resolver);
    assert.equal((await store.metrics('demo', 'welcome')).versions[0].calls, 2);
  });

  it('streams an export page by page while batches keep arriving', async () => {
    for (let b = 0; b < 3; b++) {
      await store.ingest({ events: Array.from({ length: 900 }, (_, i) => ev(i % 2 ? V1 : V2, T0 + (i % 3) * 1000, { latencyMs: b * 1000 + i })) }, resolver);
    }
    let seen = 0;
    let last = '';
    for await (const e of store.events('demo', 'welcome')) {
      if (seen === 10) await store.ingest({ events: [ev(V1, T0 + 5000)] }, resolver); // a write mid-export
      assert.ok(e.at >= last, 'oldest first');
      last = e.at;
      seen++;
    }
    assert.equal(seen, 2701, 'every event once, and the one written meanwhile (it is newer)');
    assert.equal((await all(store.events('demo', 'welcome', { sha: V1 }))).length, 1351);
  });

  it('forgets the ids and totals of a batch that failed, so the next batch is stored whole', async () => {
    const good = { repo: 'demo', id: 'fresh', sha: V1, at: T0, release: null, labels: [], trackingId: null, success: true, latencyMs: 5,
      inputTokens: null, outputTokens: null, model: null, feedback: null, metadata: null, consent: false, input: null, output: null };
    const broken = { ...good, labels: undefined } as unknown as typeof good; // violates NOT NULL inside the transaction
    await assert.rejects(async () => store.record([good, broken]));
    assert.deepEqual((await store.metrics('demo', 'fresh')).versions, [], 'nothing of the failed batch remains');
    await store.record([good]);
    assert.equal((await store.metrics('demo', 'fresh')).versions[0].calls, 1);
    assert.equal((await all(store.events('demo', 'fresh'))).length, 1);
  });

  it('exports metrics and raw events as CSV and JSON', async () => {
    await store.ingest({ events: [
      ev(V1, T0, { success: true, latencyMs: 5, metadata: { note: 'a, "quoted" value' }, model: 'm1' }),
      ev(V1, T0 + 1000, { success: false }),
    ] }, resolver);
    const csv = metricsCsv((await store.metrics('demo', 'welcome')).versions).split('\r\n');
    assert.equal(csv[0], 'sha,release,labels,calls,successRate,latencyP50,latencyP95,inputTokens,outputTokens,feedback,firstSeen,lastSeen');
    assert.ok(csv[1].startsWith(`${V1},1.0.0,production,2,0.5,5,5,0,0,,`));

    const rows = (await all(eventChunks(store.events('demo', 'welcome'), 'csv'))).join('').split('\r\n');
    assert.equal(rows.length, 4, 'header, two events, trailing newline');
    assert.ok(rows[1].includes('"{""note"":""a, \\""quoted\\"" value""}"'), rows[1]);
    const json = JSON.parse((await all(eventChunks(store.events('demo', 'welcome', { since: T0 + 1 }), 'json'))).join(''));
    assert.equal(json.length, 1);
    assert.deepEqual([json[0].success, json[0].labels, json[0].at], [false, ['production'], iso(T0 + 1000)]);
    assert.deepEqual(JSON.parse((await all(eventChunks(store.events('demo', 'missing'), 'json'))).join('')), []);
  });
});

}

describe('usage store (SQLite only)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pf-usage-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs in WAL mode in a file it creates', () => {
    const store = new UsageStore(join(dir, 'usage', 'usage.db'));
    assert.equal(store.journalMode(), 'wal');
    assert.ok(existsSync(join(dir, 'usage', 'usage.db')));
    store.close();
  });

  it('refuses a database written by a newer schema instead of corrupting it', () => {
    const path = join(dir, 'newer.db');
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    assert.throws(() => new UsageStore(path), /newer Prompt Forge/);
  });

});

describe('default usage file location', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'pf-usage-loc-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });

  it('lives inside the git directory of a work tree, a bare repo, or a linked work tree', () => {
    git('init', '-q', 'work');
    git('init', '-q', '--bare', 'bare.git');
    git('-C', 'work', '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'init');
    git('-C', 'work', 'worktree', 'add', '-q', '../linked');
    assert.equal(defaultUsageDb(join(dir, 'work')), join(dir, 'work', '.git', 'promptforge', 'usage.db'));
    assert.equal(defaultUsageDb(join(dir, 'bare.git')), join(dir, 'bare.git', 'promptforge', 'usage.db'));
    assert.equal(defaultUsageDb(join(dir, 'linked')), join(dir, 'work', '.git', 'worktrees', 'linked', 'promptforge', 'usage.db'));
    const ignored = execFileSync('git', ['-C', join(dir, 'work'), 'status', '--porcelain', '--ignored'], { encoding: 'utf8' });
    const store = new UsageStore(defaultUsageDb(join(dir, 'work')));
    store.close();
    assert.equal(execFileSync('git', ['-C', join(dir, 'work'), 'status', '--porcelain', '--ignored'], { encoding: 'utf8' }), ignored, 'git does not see it');
  });
});

describe('CSV export fields', () => {
  /** A strict RFC 4180 reader for one record, to check what spreadsheets will read back. */
  function readRecord(text: string): string[] {
    const out: string[] = [];
    let i = 0;
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        for (i++; !(text[i] === '"' && text[i + 1] !== '"'); i++) {
          if (i >= text.length) throw new Error('unterminated quote');
          field += text[i];
          if (text[i] === '"') i++;
        }
        i++;
      } else {
        while (text[i] !== ',' && text[i] !== '\r') field += text[i++];
      }
      out.push(field);
      if (text[i] === '\r') break;
      i++;
    }
    assert.equal(text.slice(i), '\r\n');
    return out;
  }

  it('reads back exactly what was written, whatever the text, a formula behind a single quote', () => {
    const formula = /^[=+\-@\t\r]/;
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('a,b', '"q"', 'line\r\nbreak', ' pad ', '', '=1+1', '-2', '\tx')), { minLength: 1, maxLength: 6 }), (values) => {
        assert.deepEqual(readRecord(csvRow(values)), values.map((v) => (formula.test(v) ? `'${v}` : v)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('usage store (Postgres only)', function () {
  this.timeout(120_000);

  it('refuses a database written by a newer schema instead of corrupting it', async () => {
    const url = await (await testPostgres()).database();
    const first = await PgUsageStore.open(url);
    await first.close();
    const { default: pg } = await import('pg');
    const c = new pg.Client(url);
    await c.connect();
    await c.query(`UPDATE promptforge_meta SET value = '99' WHERE key = 'usage_schema'`);
    await c.end();
    await assert.rejects(PgUsageStore.open(url), /newer Prompt Forge/);
  });

  it('lets several forges write the same rollups at once and adds every event', async () => {
    const url = await (await testPostgres()).database();
    const now = () => T0 + 48 * HOUR;
    const forges = await Promise.all([0, 1, 2].map(() => PgUsageStore.open(url, { now })));
    const batch = (k: number) => ({ events: Array.from({ length: 200 }, (_, i) => ({ repo: 'demo', id: 'welcome', sha: i % 2 ? V1 : V2, at: iso(T0 + (i % 5) * HOUR), latencyMs: k * 10 + (i % 7), success: i % 3 === 0 })) });
    await Promise.all(forges.flatMap((f, k) => [f.ingest(batch(k)), f.ingest(batch(k + 3))]));
    const answers = await Promise.all(forges.map((f) => f.metrics('demo', 'welcome')));
    assert.equal(answers[0].versions.reduce((n, v) => n + v.calls, 0), 1200);
    assert.deepEqual(answers[1], answers[0]);
    assert.deepEqual(answers[2], answers[0]);
    await Promise.all(forges.map((f) => f.close()));
  });
});

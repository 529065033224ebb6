/**
 * Usage store: insert rate against a floor (plain better-sqlite3 inserts into a table
 * without indexes or rollups, same batches, same run), then metrics and series
 * queries over 1,000,000 events (goal: metrics < 50 ms).
 *
 *   node --import tsx bench/usage-store.bench.ts [events]
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageStore, type StoredEvent } from '../forge/usage/store';

const TOTAL = Number(process.argv[2] ?? 1_000_000);
const BATCH = 500;
const VERSIONS = Array.from({ length: 5 }, (_, i) => String(i + 1).repeat(40));
const NOW = Date.now();
const SPAN = 30 * 24 * 3_600_000;

function eventAt(i: number): StoredEvent {
  const version = i % VERSIONS.length;
  return {
    repo: 'demo', id: 'welcome', sha: VERSIONS[version], release: version === 0 ? '1.0.0' : null, labels: version === 0 ? ['production'] : [],
    at: NOW - SPAN + Math.floor((i / TOTAL) * SPAN), trackingId: null, success: i % 10 !== 0,
    latencyMs: 50 + ((i * 7919) % 2000), inputTokens: 100 + (i % 50), outputTokens: 20 + (i % 30), model: 'gpt-4o-mini',
    feedback: i % 20 === 0 ? (i % 40 === 0 ? 1 : -1) : null, metadata: null, consent: false, input: null, output: null,
  };
}

function batches(count: number): StoredEvent[][] {
  const out: StoredEvent[][] = [];
  for (let i = 0; i < count; i += BATCH) out.push(Array.from({ length: Math.min(BATCH, count - i) }, (_, j) => eventAt(i + j)));
  return out;
}

function rate(count: number, run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

function timings(runs: number, fn: () => void): { median: number; p99: number } {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(runs / 2)], p99: ms[Math.min(runs - 1, Math.ceil(runs * 0.99) - 1)] };
}

const dir = mkdtempSync(join(tmpdir(), 'pf-usage-bench-'));
try {
  // Insert rate on the first 100,000 events: floor vs the store.
  const sample = batches(Math.min(TOTAL, 100_000));
  const sampleCount = sample.reduce((n, b) => n + b.length, 0);
  const floorDb = new Database(join(dir, 'floor.db'));
  floorDb.pragma('journal_mode = WAL');
  floorDb.pragma('synchronous = NORMAL');
  floorDb.exec('CREATE TABLE events (repo, prompt_id, sha, at, success, latency_ms, input_tokens, output_tokens, feedback)');
  const insert = floorDb.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const floorBatch = floorDb.transaction((events: StoredEvent[]) => {
    for (const e of events) insert.run(e.repo, e.id, e.sha, e.at, Number(e.success), e.latencyMs, e.inputTokens, e.outputTokens, e.feedback);
  });
  const store = new UsageStore(join(dir, 'usage.db'), { retentionDays: 0 });
  // Five alternating rounds over consecutive slices of the sample, medians compared.
  const floorRates: number[] = [];
  const storeRates: number[] = [];
  const slice = Math.ceil(sample.length / 5);
  for (let round = 0; round < 5; round++) {
    const part = sample.slice(round * slice, (round + 1) * slice);
    const count = part.reduce((n, b) => n + b.length, 0);
    floorRates.push(rate(count, () => part.forEach((b) => floorBatch(b))));
    storeRates.push(rate(count, () => part.forEach((b) => store.record(b))));
  }
  floorDb.close();
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const [floor, ours] = [median(floorRates), median(storeRates)];
  console.log(`insert, batches of ${BATCH} (${sampleCount} events, 5 alternating rounds, medians):`);
  console.log(`  floor: bare SQLite table       ${Math.round(floor).toLocaleString('en')} events/s`);
  console.log(`  usage store (indexes, rollups) ${Math.round(ours).toLocaleString('en')} events/s  (${(ours / floor).toFixed(2)}x floor)`);

  // Fill up to TOTAL events for the queries.
  let filled = sampleCount;
  for (let i = sampleCount; i < TOTAL; i += BATCH) {
    store.record(Array.from({ length: Math.min(BATCH, TOTAL - i) }, (_, j) => eventAt(i + j)));
    filled += Math.min(BATCH, TOTAL - i);
  }
  console.log(`\nqueries over ${filled.toLocaleString('en')} events, ${VERSIONS.length} versions, 30 days:`);
  const check = store.metrics('demo', 'welcome');
  if (check.versions.reduce((n, v) => n + v.calls, 0) !== filled) throw new Error('metrics lost events');
  const cases: [string, () => unknown][] = [
    ['metrics, all time', () => store.metrics('demo', 'welcome')],
    ['metrics, since mid-hour 7 days ago', () => store.metrics('demo', 'welcome', { since: NOW - 7 * 86_400_000 + 1_234_567 })],
    ['metrics, one version', () => store.metrics('demo', 'welcome', { sha: VERSIONS[2] })],
    ['series by hour', () => store.series('demo', 'welcome', 'hour')],
    ['series by day', () => store.series('demo', 'welcome', 'day')],
  ];
  for (const [name, fn] of cases) {
    const t = timings(200, fn);
    const goal = name.startsWith('metrics') ? `  (goal < 50 ms: ${t.median < 50 ? 'met' : 'MISSED'})` : '';
    console.log(`  ${name.padEnd(36)} median ${t.median.toFixed(2)} ms  p99 ${t.p99.toFixed(2)} ms${goal}`);
  }
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Usage on Postgres vs SQLite, same events, same run: ingest rate (events/s, batches of
 * 500 through each store's record) and metrics / series query times over 1,000,000
 * events (goals: Postgres ≥ 20,000 events/s, metrics < 50 ms). Postgres is a throwaway
 * cluster from Debian's postgresql package, as in the tests.
 *
 *   node --import tsx bench/usage-postgres.bench.ts [events]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgUsageStore } from '../forge/usage/pgStore';
import { UsageStore, type StoredEvent } from '../forge/usage/store';
import { testPostgres } from '../test/forge/support/postgres';

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

type Store = { record(e: StoredEvent[]): unknown; metrics(r: string, i: string, q?: { since?: number }): unknown; series(r: string, i: string, b: 'hour' | 'day'): unknown };

async function measure(name: string, store: Store): Promise<{ rate: number; metrics: number; series: number }> {
  const t0 = performance.now();
  for (let i = 0; i < TOTAL; i += BATCH) await store.record(Array.from({ length: Math.min(BATCH, TOTAL - i) }, (_, k) => eventAt(i + k)));
  const rate = TOTAL / ((performance.now() - t0) / 1000);
  const median = async (fn: () => unknown) => {
    const times: number[] = [];
    for (let k = 0; k < 15; k++) {
      const s = performance.now();
      await fn();
      times.push(performance.now() - s);
    }
    return times.sort((a, b) => a - b)[7];
  };
  const metrics = await median(() => store.metrics('demo', 'welcome', { since: NOW - 7 * 24 * 3_600_000 - 1234 }));
  const series = await median(() => store.series('demo', 'welcome', 'hour'));
  console.log(`${name.padEnd(9)} ingest ${Math.round(rate).toLocaleString('en')} events/s · metrics (7 days, exact since) ${metrics.toFixed(1)} ms · hourly series ${series.toFixed(1)} ms`);
  return { rate, metrics, series };
}

async function main(): Promise<void> {
  console.log(`${TOTAL.toLocaleString('en')} events, batches of ${BATCH}`);
  const dir = mkdtempSync(join(tmpdir(), 'pf-bench-pg-'));
  const sqlite = new UsageStore(join(dir, 'usage.db'), { retentionDays: 0 });
  const lite = await measure('SQLite', sqlite);
  sqlite.close();
  const pgStore = await PgUsageStore.open(await (await testPostgres()).database(), { retentionDays: 0 });
  const pg = await measure('Postgres', pgStore);
  await pgStore.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`Postgres / SQLite: ingest ${(pg.rate / lite.rate).toFixed(2)}x · metrics ${(pg.metrics / lite.metrics).toFixed(2)}x · series ${(pg.series / lite.series).toFixed(2)}x`);
  const problems = [pg.rate < 20_000 && `Postgres ingest ${Math.round(pg.rate)} events/s < 20,000`, pg.metrics >= 50 && `Postgres metrics ${pg.metrics.toFixed(1)} ms ≥ 50 ms`].filter(Boolean);
  for (const p of problems) console.error(`goal missed: ${p}`);
  process.exit(problems.length ? 1 : 0);
}

void main();

/**
 * Usage ingest through the HTTP API of a real forge process (batched POSTs over
 * keep-alive connections, SQLite file in WAL mode), against the floor of the raw
 * SQLite insert rate of the same usage store in this process, in the same run. Rounds
 * of the two alternate, so both see the same machine; medians are compared.
 * Goal: ≥ 20,000 events/s through the API.
 *
 *   npm run build && node --import tsx bench/usage-ingest.bench.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';
import { UsageStore, type StoredEvent } from '../forge/usage/store';

const ROUNDS = 5;
const EVENTS = 40_000; // per round
const BATCH = 500;
const CONNECTIONS = 4;
const CLI = join(process.cwd(), 'dist/forge/cli.js');

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`promptforge ${args[0]} exited ${code}`))));
  });
}

async function serve(repo: string, db: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--repo', `demo=${repo}`, '--port', '0', '--usage-db', db], { stdio: ['ignore', 'pipe', 'inherit'] });
  for await (const line of createInterface({ input: child.stdout! })) {
    const url = /https?:\/\/\S+/.exec(line)?.[0];
    if (url) return { url, child };
  }
  throw new Error('the forge exited before it was ready');
}

function events(count: number, sha: string, offset: number): object[] {
  const at = new Date().toISOString();
  return Array.from({ length: count }, (_, i) => ({
    repo: 'demo', id: 'welcome', sha, at, success: (offset + i) % 10 !== 0, latencyMs: 100 + ((offset + i) % 900),
    inputTokens: 120, outputTokens: 40, model: 'gpt-4o-mini', trackingId: `t-${offset + i}`,
  }));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pf-usage-ingest-'));
  let forge: ChildProcess | undefined;
  try {
    await run(['demo', join(dir, 'repo')]);
    const started = await serve(join(dir, 'repo'), join(dir, 'usage.db'));
    forge = started.child;
    const pool = new Pool(started.url, { connections: CONNECTIONS, pipelining: 1 });
    const resolved = await pool.request({ method: 'GET', path: `/api/v1/resolve?uri=${encodeURIComponent('prompt://localhost/demo/welcome/HEAD?app_name=Bench')}` });
    const { sha } = (await resolved.body.json()) as { sha: string };

    // Pre-serialized bodies: the bench measures the forge, not JSON.stringify in the client.
    const bodies = Array.from({ length: EVENTS / BATCH }, (_, b) => JSON.stringify({ events: events(BATCH, sha, b * BATCH) }));
    const post = async (body: string) => {
      const res = await pool.request({ method: 'POST', path: '/api/v1/usage', headers: { 'content-type': 'application/json' }, body });
      const answer = (await res.body.json()) as { accepted?: number };
      if (res.statusCode !== 200 || answer.accepted !== BATCH) throw new Error(`batch refused: ${res.statusCode} ${JSON.stringify(answer).slice(0, 200)}`);
    };
    const httpRound = async () => {
      let next = 0;
      const start = process.hrtime.bigint();
      await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
        while (next < bodies.length) await post(bodies[next++]);
      }));
      return EVENTS / (Number(process.hrtime.bigint() - start) / 1e9);
    };

    // Floor: the same store inserting already-validated events, no HTTP, no JSON, no validation.
    const store = new UsageStore(join(dir, 'floor.db'), { retentionDays: 0 });
    const now = Date.now();
    const stored = (events(BATCH, sha, 0) as Record<string, unknown>[]).map((e) => ({
      ...e, at: now, release: null, labels: [], feedback: null, metadata: null, consent: false, input: null, output: null,
    })) as unknown as StoredEvent[];
    const floorRound = () => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < EVENTS; i += BATCH) store.record(stored);
      return EVENTS / (Number(process.hrtime.bigint() - start) / 1e9);
    };

    await Promise.all(bodies.slice(0, 8).map(post)); // warm up
    floorRound();
    const http: number[] = [];
    const floor: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      http.push(await httpRound());
      floor.push(floorRound());
    }
    await pool.close();
    store.close();

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const show = (xs: number[]) =>
      `median ${Math.round(median(xs)).toLocaleString('en')} events/s (min ${Math.round(Math.min(...xs)).toLocaleString('en')}, max ${Math.round(Math.max(...xs)).toLocaleString('en')})`;
    const ratio = median(http) / median(floor);
    console.log(`usage ingest, ${ROUNDS} rounds of ${EVENTS.toLocaleString('en')} events in batches of ${BATCH}, ${CONNECTIONS} keep-alive connections:`);
    console.log(`  floor: usage store insert, in process  ${show(floor)}`);
    console.log(`  POST /api/v1/usage on a forge process  ${show(http)}`);
    console.log(`  ratio ${ratio.toFixed(2)}x floor; goal ≥ 20,000 events/s through the API: ${median(http) >= 20_000 ? 'met' : 'MISSED'}`);
  } finally {
    forge?.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

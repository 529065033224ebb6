/**
 * Resolve throughput and latency of the forge at fixed concurrency (keep-alive
 * connections, an undici Pool), against two servers measured in the same run:
 *   floor — a bare node:http server returning the same bytes the forge answers;
 *   naive — a server that runs `git show` per request and renders the template.
 * Every server is its own process; this process only generates load. Rounds alternate
 * the servers and the medians are reported. Goals: forge ≥ 0.6 × floor, ≥ 20 × naive.
 *
 *   npm run build && node --import tsx bench/forge-resolve.bench.ts
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';

const CONNECTIONS = 32;
const ROUNDS = 3;
const SECONDS = { floor: 3, forge: 3, naive: 2 };
const WARMUP_MS = 500;
const CLI = join(process.cwd(), 'dist/forge/cli.js');
const URI = 'prompt://localhost:7070/demo/welcome/production?app_name=Acme&tier=premium';
const PATH = `/api/v1/resolve?uri=${encodeURIComponent(URI)}`;

/** The floor: the same answer, precomputed, from a bare node:http server. */
const FLOOR = `
const { createServer } = require('node:http');
const { readFileSync } = require('node:fs');
const body = readFileSync(process.argv[1]);
const etag = process.argv[2];
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, etag, 'cache-control': 'no-cache' });
  res.end(body);
});
server.keepAliveTimeout = 65000;
server.listen(0, '127.0.0.1', () => console.log('listening at http://127.0.0.1:' + server.address().port));
`;

/** The naive server: one \`git show\` per request, then a plain placeholder render. */
const NAIVE = `
const { createServer } = require('node:http');
const { execFile } = require('node:child_process');
const repo = process.argv[1];
const server = createServer((req, res) => {
  const uri = new URL(req.url, 'http://x').searchParams.get('uri');
  const m = /^prompt:\\/\\/[^/]+\\/([^/]+)\\/([^/?]+)\\/([^?]+)\\??(.*)$/.exec(uri);
  const params = Object.fromEntries(new URLSearchParams(m[4]));
  execFile('git', ['-C', repo, 'show', 'refs/labels/' + m[2] + '/' + m[3] + ':' + m[2] + '.prompt'], (error, source) => {
    if (error) { res.writeHead(404); res.end(); return; }
    const body = source.replace(/^---[\\s\\S]*?\\n---\\n/, '');
    const text = body.replace(/\\{\\{\\s*([\\w.-]+)\\s*\\}\\}/g, (_, k) => params[k] ?? '');
    const json = JSON.stringify({ uri, repo: m[1], id: m[2], template: body, text });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
    res.end(json);
  });
});
server.keepAliveTimeout = 65000;
server.listen(0, '127.0.0.1', () => console.log('listening at http://127.0.0.1:' + server.address().port));
`;

async function start(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  for await (const line of createInterface({ input: child.stdout! })) {
    const url = /https?:\/\/[\d.]+:\d+/.exec(line)?.[0];
    if (url) return { url, child };
  }
  throw new Error(`${args.join(' ')} exited before it was ready`);
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
}

/** CONNECTIONS workers, each sending its next request when the previous answer is read. */
async function load(url: string, seconds: number): Promise<Result> {
  const pool = new Pool(url, { connections: CONNECTIONS, pipelining: 1, keepAliveTimeout: 60_000 });
  const once = async () => {
    const res = await pool.request({ method: 'GET', path: PATH });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
  };
  const run = async (ms: number, latencies: number[] | null) => {
    const end = performance.now() + ms;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (performance.now() < end) {
          const t0 = performance.now();
          await once();
          latencies?.push(performance.now() - t0);
        }
      }),
    );
  };
  await run(WARMUP_MS, null);
  const latencies: number[] = [];
  const t0 = performance.now();
  await run(seconds * 1000, latencies);
  const elapsed = (performance.now() - t0) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pf-resolve-bench-'));
  const children: ChildProcess[] = [];
  try {
    const repo = join(dir, 'demo');
    execFileSync(process.execPath, [CLI, 'demo', repo], { stdio: 'ignore' });
    const forge = await start([CLI, 'serve', '--repo', `demo=${repo}`, '--port', '0', '--usage-db', ':memory:']);
    children.push(forge.child);
    const answer = await fetch(forge.url + PATH);
    const bytes = Buffer.from(await answer.arrayBuffer());
    writeFileSync(join(dir, 'answer.json'), bytes);
    const floor = await start(['-e', FLOOR, join(dir, 'answer.json'), answer.headers.get('etag') ?? '""']);
    const naive = await start(['-e', NAIVE, repo]);
    children.push(floor.child, naive.child);

    const servers = { floor: floor.url, forge: forge.url, naive: naive.url } as const;
    const results: Record<keyof typeof servers, Result[]> = { floor: [], forge: [], naive: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of Object.keys(servers) as (keyof typeof servers)[]) results[name].push(await load(servers[name], SECONDS[name]));
    }

    const summary = Object.fromEntries(
      Object.entries(results).map(([name, rs]) => [name, { rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)) }]),
    ) as Record<keyof typeof servers, Result>;
    console.log(`resolve ${URI}`);
    console.log(`${bytes.length}-byte answer, ${CONNECTIONS} keep-alive connections, median of ${ROUNDS} rounds\n`);
    console.log('server   req/s     p50 ms   p99 ms');
    for (const [name, r] of Object.entries(summary)) console.log(`${name.padEnd(8)} ${r.rps.toFixed(0).padStart(7)}   ${r.p50.toFixed(2).padStart(6)}   ${r.p99.toFixed(2).padStart(6)}`);
    const ofFloor = summary.forge.rps / summary.floor.rps;
    const overNaive = summary.forge.rps / summary.naive.rps;
    console.log(`\nforge / floor = ${ofFloor.toFixed(2)} (goal ≥ 0.6)   forge / naive = ${overNaive.toFixed(1)}× (goal ≥ 20×)`);
  } finally {
    for (const child of children) child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/**
 * SDK get, measured in one run against floors:
 * 1. cached get in every form an app writes — full URI with a query, URI + params object,
 *    short ref + params object — next to @langfuse/client's cached prompt get + compile
 *    (served by a local stub of the Langfuse API) and to a floor: Map.get plus the same
 *    precompiled render. Goals: each form ≥ 3× as fast as Langfuse, ≤ 1.3× the floor;
 * 2. uncached get against a real forge next to a raw undici request for the same resolve
 *    — goal: SDK overhead < 1.2×.
 * Run: npm run build && node --import tsx bench/sdk-get.bench.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Pool } from 'undici';
import { LangfuseClient } from '@langfuse/client';
import { createPromptClient } from '../sdk';
import { compilePrompt } from '../sdk/compiled';
import { entryFromResolution } from '../sdk/entry';
import type { Resolution } from '../sdk/forgeTypes';
import { ForgeProcess, makeDemoRepo } from '../test/sdk/helpers/forgeProcess';

const ROUNDS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/**
 * Median ns per call of each candidate over rounds of `n` sequential calls; rounds are
 * interleaved so every candidate sees the same machine, after one warm-up round each.
 */
async function nsPerOp(n: number, candidates: (() => Promise<unknown>)[]): Promise<number[]> {
  const rounds: number[][] = candidates.map(() => []);
  for (let r = -1; r < ROUNDS; r++) {
    for (const [c, fn] of candidates.entries()) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < n; i++) await fn();
      if (r >= 0) rounds[c].push(Number(process.hrtime.bigint() - start) / n);
    }
  }
  return rounds.map(median);
}

/** Latency percentiles in µs of single sequential calls, and this process's CPU µs per call. */
async function latencyUs(n: number, fn: () => Promise<unknown>): Promise<{ p50: number; p99: number; cpu: number }> {
  const samples: number[] = [];
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  const cpu = process.cpuUsage(cpuStart);
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(n * 0.5)], p99: samples[Math.floor(n * 0.99)], cpu: (cpu.user + cpu.system) / n };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function langfuseStub(template: string): Promise<{ url: string; close: () => void }> {
  const body = JSON.stringify({ id: 'p1', name: 'welcome', version: 1, type: 'text', prompt: template, config: {}, labels: ['production'], tags: [], commitMessage: null });
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

async function main(): Promise<void> {
  const demo = makeDemoRepo();
  const forge = await ForgeProcess.start({ demo });
  const host = 'localhost:7070';
  const params = { app_name: 'Acme' };
  try {
    // ---- 1. cached get ----
    const sdk = createPromptClient({ hosts: { [host]: { url: forge.url } }, defaults: { host, repo: 'demo' }, liveUpdates: false, usage: { enabled: false } });
    const first = await sdk.get('welcome:production', params);
    const stub = await langfuseStub((await fetchTemplate(forge.url, host)) ?? first.text!);
    const langfuse = new LangfuseClient({ publicKey: 'pk-bench', secretKey: 'sk-bench', baseUrl: stub.url });
    await langfuse.prompt.get('welcome', { label: 'production' });

    // The floor: the same entry, compiled the same way, found in a plain Map.
    const resolution = (await (await fetch(`${forge.url}/api/v1/resolve?uri=${encodeURIComponent(`prompt://${host}/demo/welcome/production?app_name=Acme`)}`)).json()) as Resolution;
    const floorMap = new Map([['welcome:production', compilePrompt(entryFromResolution(resolution))!]]);
    const forms: [string, () => Promise<unknown>][] = [
      ['full URI with a query', () => sdk.get(`prompt://${host}/demo/welcome/production?app_name=Acme`)],
      ['URI + params object', () => sdk.get(`prompt://${host}/demo/welcome/production`, params)],
      ['short ref + params object', () => sdk.get('welcome:production', params)],
    ];
    for (const [name, fn] of forms) {
      const r = (await fn()) as { source: string; text: string };
      if (r.source !== 'cache' || r.text !== first.text) throw new Error(`${name}: expected the cached render, got ${r.source}: ${r.text}`);
    }

    const n = 100_000;
    const [floorNs, lfGetNs, lfCompileNs, ...formNs] = await nsPerOp(n, [
      async () => floorMap.get('welcome:production')!.render(params),
      () => langfuse.prompt.get('welcome', { label: 'production' }),
      async () => (await langfuse.prompt.get('welcome', { label: 'production' })).compile(params),
      ...forms.map(([, fn]) => fn),
    ]);
    const line = (name: string, ns: number) => console.log(`  ${name.padEnd(45)}${fmt(ns).padStart(8)} ns/op  ${fmt(1e9 / ns).padStart(11)} ops/s`);
    console.log(`cached get (${n} sequential calls × ${ROUNDS} rounds, median, one run)`);
    line('floor: Map.get + the same precompiled render', floorNs);
    line('@langfuse/client prompt.get', lfGetNs);
    line('@langfuse/client prompt.get + compile', lfCompileNs);
    for (const [i, [name]] of forms.entries()) line(`promptforge/sdk get, ${name}`, formNs[i]);
    console.log('  ratios (goals: ≥ 3× as fast as langfuse get+compile, ≤ 1.3× the floor)');
    for (const [i, [name]] of forms.entries()) {
      const vsLangfuse = lfCompileNs / formNs[i];
      const vsFloor = formNs[i] / floorNs;
      const met = vsLangfuse >= 3 && vsFloor <= 1.3 ? 'met' : 'MISSED';
      console.log(`  ${name.padEnd(27)} ${fmt(vsLangfuse, 2).padStart(5)}× as fast as langfuse  ${fmt(vsFloor, 2).padStart(5)}× the floor  ${met}`);
    }
    stub.close(); // langfuse may still refresh in the background: its errors after this are noise
    await sdk.close();

    // ---- 2. uncached get vs raw undici ----
    // A one-entry cache alternating between two references: every get goes to the forge.
    const uncached = createPromptClient({ hosts: { [host]: { url: forge.url } }, defaults: { host, repo: 'demo' }, cache: { maxEntries: 1 }, liveUpdates: false, usage: { enabled: false } });
    const refs = ['welcome:production', 'welcome:staging'];
    // The same request the SDK makes on a miss: the URI with the call's params.
    const paths = refs.map((ref) => `/api/v1/resolve?uri=${encodeURIComponent(`prompt://${host}/demo/welcome/${ref.split(':')[1]}?app_name=Acme`)}`);
    const pool = new Pool(forge.url, { connections: 16 });
    let i = 0;
    const raw = async () => {
      const res = await pool.request({ method: 'GET', path: paths[i++ & 1] });
      return JSON.parse(await res.body.text());
    };
    let j = 0;
    const get = () => uncached.get(refs[j++ & 1], params);
    for (let w = 0; w < 300; w++) {
      await raw();
      await get();
    }
    const m = 2000;
    const rounds: { raw: { p50: number; cpu: number }; sdk: { p50: number; cpu: number } }[] = [];
    for (let r = 0; r < 7; r++) rounds.push({ raw: await latencyUs(m, raw), sdk: await latencyUs(m, get) });
    const rawP50 = median(rounds.map((r) => r.raw.p50));
    const sdkP50 = median(rounds.map((r) => r.sdk.p50));
    const rawCpu = median(rounds.map((r) => r.raw.cpu));
    const sdkCpu = median(rounds.map((r) => r.sdk.cpu));
    const check = await uncached.get('welcome:production', params);
    console.log(`uncached get against the real forge (${m} sequential calls × 7 rounds, medians; SDK source: ${check.source})`);
    console.log(`  raw undici GET /api/v1/resolve + JSON.parse  ${fmt(rawP50, 1).padStart(8)} µs p50  ${fmt(rawCpu, 1).padStart(7)} µs client CPU/call`);
    console.log(`  promptforge/sdk get, cache miss             ${fmt(sdkP50, 1).padStart(8)} µs p50  ${fmt(sdkCpu, 1).padStart(7)} µs client CPU/call`);
    console.log(`  ratio: SDK overhead ${fmt(sdkP50 / rawP50, 2)}× the raw request's latency, ${fmt(sdkCpu / rawCpu, 2)}× its client CPU (goal: < 1.2)`);
    await pool.close();
    await uncached.close();
  } finally {
    await forge.stop();
    rmSync(dirname(demo), { recursive: true, force: true });
  }
}

/** The welcome template as the forge stores it, so both clients render the same text. */
async function fetchTemplate(url: string, host: string): Promise<string | undefined> {
  const res = await fetch(`${url}/api/v1/resolve?uri=${encodeURIComponent(`prompt://${host}/demo/welcome/production?app_name=Acme`)}`);
  return ((await res.json()) as { template?: string }).template;
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

/**
 * Language server latency with 10,000 prompts indexed, over real JSON-RPC (an
 * in-process server on a pair of streams), next to the floor measured in the same
 * run: an LSP round trip that does no work (hover where there is no reference).
 *   completion (ids, versions, params), hover, and full-document diagnostics for a
 *   5,000-line file with 1,000 URIs (edit → publishDiagnostics); plus RSS.
 * Goals: completion and hover p99 < 10 ms; diagnostics < 50 ms; RSS < 150 MB.
 * Then the built server as its own process (`--stdio`) on a real local git repo of
 * 10,000 prompts: time to index and the server's RSS.
 * Run: npm run build && node --import tsx bench/server-lsp.bench.ts
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompletionRequest, HoverRequest } from 'vscode-languageserver-protocol';
import { makeLargeRepo } from '../test/fixtures/git/largeRepo';
import { TestClient, cursor, positionOf } from '../test/server/support/client';
import { generatedRepo, memoryFactory } from '../test/server/support/memorySource';

const PROMPTS = 10_000;
const SAMPLES = 400;

function percentiles(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length * 0.5)], p99: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] };
}

async function measure(fn: () => Promise<unknown>, samples = SAMPLES): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 20; i++) await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return percentiles(times);
}

async function main(): Promise<void> {
  const repo = generatedRepo('mem', 'gen', PROMPTS);
  const client = await TestClient.start({ settings: { hosts: { mem: { url: 'memory:' } } }, server: { sourceFactory: memoryFactory({ mem: [repo] }) } });
  const at = async (marked: string) => {
    const { text, offset } = cursor(marked);
    const uri = await client.open(text);
    return { uri, position: positionOf(text, offset) };
  };

  const empty = await at('const x = 1;|');
  const ids = await at('"prompt://mem/gen/p0|"');
  const versions = await at('"prompt://mem/gen/p04242/|"');
  const params = await at('"prompt://mem/gen/p04242/production?|"');
  const hover = await at('"prompt://mem/gen/p04|242/production?name=Ada"');
  await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: hover.uri }, position: hover.position });

  const results: Array<[string, { p50: number; p99: number }]> = [];
  const noWork = () => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: empty.uri }, position: empty.position });
  // Warm the whole round-trip path first, so the floor is not charged for JIT compilation.
  await measure(noWork, 2000);
  results.push(['floor: LSP round trip, no work', await measure(noWork)]);
  const complete = (p: { uri: string; position: { line: number; character: number } }) => () => client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: p.uri }, position: p.position });
  results.push(['completion: ids (10,000 in repo)', await measure(complete(ids))]);
  results.push(['completion: versions', await measure(complete(versions))]);
  results.push(['completion: params', await measure(complete(params))]);
  results.push(['hover', await measure(() => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: hover.uri }, position: hover.position }))]);

  // 5,000 lines, every fifth a URI (a fifth of them with a problem to report).
  const lines = Array.from({ length: 5000 }, (_, i) =>
    i % 5 === 0 ? `const p${i} = "prompt://mem/gen/p${String(i % PROMPTS).padStart(5, '0')}/${i % 25 === 0 ? 'nope' : 'production'}?name=x";` : `let filler${i} = compute(${i}); // ordinary code`,
  );
  const big = await client.open(lines.join('\n'));
  await client.diagnosticsOf(big);
  let version = 0;
  results.push([
    'diagnostics: 5,000 lines, 1,000 URIs',
    await measure(async () => {
      // One keystroke, sent as an incremental edit; the whole document is checked again.
      const digit = String(++version % 10);
      await client.edit(big, { start: { line: 1, character: 23 }, end: { line: 1, character: 24 } }, digit);
      await client.diagnosticsOf(big);
    }, 100),
  ]);

  const floor = results[0][1];
  console.log(`prompts indexed: ${PROMPTS}`);
  console.log('measure                                  p50 ms    p99 ms   p50/floor');
  for (const [name, r] of results) console.log(`${name.padEnd(40)} ${r.p50.toFixed(3).padStart(8)} ${r.p99.toFixed(3).padStart(9)} ${(r.p50 / floor.p50).toFixed(1).padStart(10)}x`);
  console.log(`RSS: ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB (server, client and test data in one process)`);
  await client.stop();
  await spawnedServer();
}

async function spawnedServer(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pf-bench-'));
  try {
    const repo = join(dir, 'big');
    await makeLargeRepo(repo, { prompts: PROMPTS, commits: 200, editsPerCommit: 15 });
    const start = process.hrtime.bigint();
    const client = await TestClient.start({ spawn: {}, settings: { hosts: { local: { path: repo } } } });
    const indexMs = Number(process.hrtime.bigint() - start) / 1e6;
    const { text, offset } = cursor('"prompt://local/big/p0042|"');
    const uri = await client.open(text);
    const emptyUri = await client.open('const x = 1;');
    const floor = await measure(() => client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: emptyUri }, position: { line: 0, character: 1 } }), 200);
    const completion = await measure(() => client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: positionOf(text, offset) }), 200);
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${client.serverPid}/status`, 'utf8'))?.[1];
    console.log(`\nbuilt server over stdio, local git repo of ${PROMPTS} prompts:`);
    console.log(`start to indexReady ${indexMs.toFixed(0)} ms; server RSS ${rss ? (Number(rss) / 1024).toFixed(0) : '?'} MB`);
    console.log(`floor (no-work round trip) p50 ${floor.p50.toFixed(3)} ms, p99 ${floor.p99.toFixed(3)} ms`);
    console.log(`completion (ids)           p50 ${completion.p50.toFixed(3)} ms, p99 ${completion.p99.toFixed(3)} ms (${(completion.p50 / floor.p50).toFixed(1)}x floor)`);
    await client.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();

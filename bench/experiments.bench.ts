/**
 * Experiments, measured in one run (DESIGN §6): a cached get with `{ unit }` on a label
 * under an experiment next to the plain cached get of the same label — goal: assigning
 * adds under 1 µs — and core's assignment alone.
 * Run: npm run build && node --import tsx bench/experiments.bench.ts
 */
import { assign, assigner } from '../core/experiments';
import { createPromptClient, ForgeClient } from '../sdk';
import { ForgeProcess, makeDemoRepo } from '../test/sdk/helpers/forgeProcess';
import { medianNs } from './medianNs';

const ROUNDS = 9;
const N = 100_000;
const UNITS = Array.from({ length: 4096 }, (_, i) => `user-${i * 7919}`);

/** Median ns per call of each candidate; rounds interleaved so both see the same machine. */
async function nsPerOp(candidates: ((i: number) => Promise<unknown>)[]): Promise<number[]> {
  const rounds: number[][] = candidates.map(() => []);
  for (let r = -1; r < ROUNDS; r++) {
    for (const [c, fn] of candidates.entries()) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < N; i++) await fn(i);
      if (r >= 0) rounds[c].push(Number(process.hrtime.bigint() - start) / N);
    }
  }
  return rounds.map((v) => v.sort((a, b) => a - b)[v.length >> 1]);
}

async function main(): Promise<void> {
  const forge = await ForgeProcess.start({ demo: makeDemoRepo() });
  const api = new ForgeClient({ url: forge.url });
  const host = 'localhost:7070';
  const params = { app_name: 'Acme' };
  const sdk = createPromptClient({ hosts: { [host]: { url: forge.url } }, defaults: { host, repo: 'demo' }, liveUpdates: false, usage: { enabled: false }, cache: { ttlMs: 3_600_000 } });
  try {
    await api.putExperiment('demo', 'welcome', 'production', { variants: [{ version: 'staging', weight: 0.5 }], seed: 'bench' });
    const first = await sdk.get('welcome:production', params, { unit: 'warm' });
    if (first.experiment === null) throw new Error('the experiment did not reach the SDK');
    // Both candidates have the same shape (an async function reading the answer), so the
    // difference is the unit's options object, the assignment and serving the variant.
    let variants = 0;
    let plainSeen = 0;
    const [plain, withUnit] = await nsPerOp([
      async () => {
        if ((await sdk.get('welcome:production', params)).variant === null) plainSeen++;
      },
      async (i) => {
        if ((await sdk.get('welcome:production', params, { unit: UNITS[i & 4095] })).variant !== 'control') variants++;
      },
    ]);
    if (plainSeen === 0) throw new Error('plain gets were not measured');
    const a = assigner('bench', [0.5], 1);
    let k = 0;
    const assignNs = medianNs(() => assign(a, UNITS[k++ & 4095]), 100_000);
    const added = withUnit - plain;
    console.log(`cached get, plain:            ${(plain / 1000).toFixed(2)} µs`);
    console.log(`cached get with unit:         ${(withUnit / 1000).toFixed(2)} µs  (${(withUnit / plain).toFixed(2)}x; ${variants > 0 ? 'variants served' : 'NO variant served'})`);
    console.log(`added by assignment:          ${added.toFixed(0)} ns  (goal < 1000 ns) ${added < 1000 ? 'OK' : 'MISSED'}`);
    console.log(`core assign() alone:          ${assignNs.toFixed(0)} ns`);
  } finally {
    await sdk.close();
    await api.close();
    await forge.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/**
 * Experiments end to end: a real forge, the SDK assigning units on its own, usage for
 * thousands of simulated units where the candidate fails more often, the forge stopping
 * the experiment by itself and the app's next gets serving the control without a
 * restart; and a forge killed mid-experiment while the app keeps assigning.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { assign, assigner } from '../../core/experiments';
import { createPromptClient, ForgeClient, type PromptClient } from '../../sdk';
import { openEvents } from '../forge/apiEvents';
import { CountingProxy } from './helpers/countingProxy';
import { makeFixtureRepo, type FixtureRepo } from './helpers/fixtureRepo';
import { ForgeProcess } from './helpers/forgeProcess';
import { waitFor } from './helpers/waitFor';

const UNITS = 3000;
const host = 'forge.test';
const ref = 'welcome:production';

describe('sdk experiments against a real forge', function () {
  this.timeout(60_000);
  let repo: FixtureRepo;
  let forge: ForgeProcess;
  let proxy: CountingProxy;
  let api: ForgeClient;
  let client: PromptClient;
  const units = Array.from({ length: UNITS }, (_, i) => `user-${i}`);

  before(async () => {
    repo = makeFixtureRepo();
    forge = await ForgeProcess.start({ demo: repo.dir });
    proxy = await new CountingProxy(() => forge.url).start();
    api = new ForgeClient({ url: forge.url });
  });
  after(async () => {
    await client?.close();
    await api?.close();
    await proxy?.stop();
    await forge?.stop();
    rmSync(repo.root, { recursive: true, force: true });
  });

  it('assigns without the network, stops itself when the candidate fails more often, and serves the control at once', async () => {
    const started = await api.putExperiment('demo', 'welcome', 'production', {
      variants: [{ version: repo.v[2], weight: 0.2, name: 'candidate' }],
      seed: 'e2e-seed',
      guardrails: [{ metric: 'successRate', maxDrop: 0.05 }],
      minCalls: 150,
      reason: 'try v3 on a fifth of users',
    });
    const key = started.experiment.key;
    client = createPromptClient({ hosts: { [host]: { url: proxy.url } }, defaults: { host, repo: 'demo' }, cache: { ttlMs: 3_600_000 }, usage: { flushIntervalMs: 3_600_000 } });

    // The first get fetches the label and the candidate's version; after that, none.
    const first = await client.get(ref, { app_name: 'A' }, { unit: units[0] });
    const resolvesAfterFirst = proxy.count('/api/v1/resolve');
    const expected = assigner('e2e-seed', [0.2], 1);
    const served: Record<string, number> = { control: 0, candidate: 0 };
    for (const unit of units) {
      const r = await client.get(ref, { app_name: 'A' }, { unit });
      const arm = assign(expected, unit) === 1 ? 'candidate' : 'control';
      assert.equal(r.variant, arm, `unit ${unit}`);
      assert.equal(r.experiment, key);
      assert.equal(r.sha, arm === 'candidate' ? repo.v[2] : repo.v[0]);
      assert.equal(r.text, `Welcome to A (${arm === 'candidate' ? 'v3' : 'v1'})! You are on the free plan.\n`);
      served[arm]++;
      // Candidate calls fail 40% of the time, control calls 10%.
      const fails = (Number(unit.slice(5)) * 7919) % 10 < (arm === 'candidate' ? 4 : 1);
      client.recordUsage(r.trackingId, { success: !fails, latencyMs: 100 });
    }
    assert.equal(first.experiment, key);
    assert.equal(proxy.count('/api/v1/resolve'), resolvesAfterFirst, 'no network call per get');
    assert.ok(Math.abs(served.candidate / UNITS - 0.2) < 0.025, `candidate share ${served.candidate / UNITS}`);
    // Without a unit, or for a label with no experiment: the control, no experiment.
    const plain = await client.get(ref, { app_name: 'A' });
    assert.deepEqual([plain.sha, plain.experiment, plain.variant], [repo.v[0], null, null]);

    let servedAt = 0;
    const events = await openEvents(forge.url);
    try {
      // The app keeps getting while its usage goes out, so the moment the control is
      // served again is seen as it happens, not after the flush.
      const flushing = client.flushUsage();
      const candidateUnit = units.find((u) => assign(expected, u) === 1)!;
      await waitFor('the control for a candidate unit', async () => (await client.get(ref, { app_name: 'A' }, { unit: candidateUnit })).sha === repo.v[0], 15_000);
      servedAt = Date.now();
      await flushing;
      const stopped = await events.next((e) => e.event === 'experiment.stopped', 10_000);
      assert.equal((stopped.data.experiment as { key: string }).key, key);
      assert.equal(stopped.data.action, 'auto-stop');
      // The app's next gets return the control, without a restart (its own stream brought the stop).
      const after = await client.get(ref, { app_name: 'A' }, { unit: candidateUnit });
      assert.deepEqual([after.experiment, after.variant], [null, null]);
      console.log(`      split ${((served.candidate / UNITS) * 100).toFixed(2)}% candidate over ${UNITS} units`);
    } finally {
      events.close();
    }

    const status = await api.experiment('demo', 'welcome', 'production');
    assert.equal(status.experiment.status, 'stopped');
    const stop = status.history[0];
    assert.equal(stop.action, 'auto-stop');
    assert.equal(stop.by, 'promptforge-guardrails');
    console.log(`      control served ${servedAt - Date.parse(stop.at)} ms after the forge decided the guardrail was breached`);
    assert.match(stop.reason!, /guardrail successRate \(max drop 5\.0 points\) breached by "candidate"/);
    const figures = stop.figures as { variant: string; probability: number; calls: number }[];
    assert.ok(figures[0].probability >= 0.95 && figures[0].calls >= 150);
    const [control, candidate] = status.results.variants;
    assert.ok(control.successRate! > 0.85 && candidate.successRate! < 0.7, `${control.successRate} vs ${candidate.successRate}`);
    assert.equal(status.history.at(-1)!.action, 'start');
  });

  it('keeps assigning every unit as before when the forge is killed mid-experiment', async () => {
    await api.putExperiment('demo', 'welcome', 'production', { variants: [{ version: repo.v[1], weight: 0.3 }], seed: 'outage-seed' });
    const app = createPromptClient({ hosts: { [host]: { url: forge.url } }, defaults: { host, repo: 'demo' }, cache: { ttlMs: 50 }, usage: { enabled: false } });
    try {
      const before = new Map<string, string | null>();
      await app.get(ref, { app_name: 'A' }, { unit: 'warm-up' });
      for (const unit of units.slice(0, 500)) before.set(unit, (await app.get(ref, { app_name: 'A' }, { unit })).variant);
      assert.ok([...before.values()].includes('v1') && [...before.values()].includes('control'));
      await forge.kill();
      await waitFor('the SDK to notice the forge is down', () => app.hostStates()[host] === 'down', 10_000);
      for (const unit of units.slice(0, 500)) {
        const r = await app.get(ref, { app_name: 'A' }, { unit });
        assert.equal(r.variant, before.get(unit), `unit ${unit} moved while the forge was down`);
        assert.equal(r.source, 'stale');
      }
    } finally {
      await app.close();
    }
  });
});

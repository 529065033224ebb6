import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPromptClient, PromptUnavailableError, type PromptClient } from '../../sdk';
import { CountingProxy } from './helpers/countingProxy';
import { makeFixtureRepo, type FixtureRepo } from './helpers/fixtureRepo';
import { ForgeProcess } from './helpers/forgeProcess';
import { waitFor } from './helpers/waitFor';

describe('sdk client when the forge dies and comes back', () => {
  let repo: FixtureRepo;
  let forge: ForgeProcess;
  let proxy: CountingProxy;
  let client: PromptClient;
  let scratch: string;
  const host = 'forge.test';

  before(async () => {
    repo = makeFixtureRepo();
    scratch = mkdtempSync(join(tmpdir(), 'pf-sdk-outage-'));
    forge = await ForgeProcess.start({ demo: repo.dir });
    proxy = await new CountingProxy(() => forge.url).start();
  });
  after(async () => {
    await client?.close();
    await forge?.stop();
    await proxy?.stop();
    rmSync(repo.root, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  it('keeps answering from stale entries and fallbacks without network once the forge is known down, and is fresh again when it is back', async () => {
    const errors: unknown[] = [];
    client = createPromptClient({
      hosts: { [host]: { url: proxy.url } },
      defaults: { host, repo: 'demo' },
      cache: { ttlMs: 0 },
      timeoutMs: 1000,
      breaker: { failureThreshold: 2, probeIntervalMs: 20, maxProbeIntervalMs: 100 },
      fallbacks: { prompts: { welcome: 'Welcome to {{app_name}} (shipped copy)!' } },
      usage: { maxQueue: 5, flushIntervalMs: 10 },
      onError: (e) => errors.push(e),
    });
    const live = await client.get('welcome:production', { app_name: 'A' });
    assert.equal(live.source, 'forge');

    await forge.kill();
    // Calls go on answering while the client finds out; then the circuit opens.
    await waitFor('the forge marked down', async () => {
      const r = await client.get('welcome:production', { app_name: 'A' });
      assert.ok(['stale', 'cache'].includes(r.source));
      return client.hostStates()[host] === 'down';
    });

    const before = proxy.count('/api/v1/resolve');
    for (let i = 0; i < 50; i++) {
      const stale = await client.get('welcome:production', { app_name: 'A' });
      assert.equal(stale.source, 'stale');
      assert.equal(stale.sha, repo.v[0]);
      assert.equal(stale.text, 'Welcome to A (v1)! You are on the free plan.\n');
      const fallback = await client.get('welcome:staging', { app_name: 'B' });
      assert.equal(fallback.source, 'fallback');
      assert.equal(fallback.text, 'Welcome to B (shipped copy)!');
    }
    assert.equal(proxy.count('/api/v1/resolve'), before, 'no resolve reached the network while the forge was known down');

    const error = await client.get('chat', { question: 'x' }).catch((e) => e);
    assert.ok(error instanceof PromptUnavailableError);
    assert.match(error.message, new RegExp(`prompt://forge.test/demo/chat/HEAD is unavailable; tried forge at ${proxy.url} \\(known down`));
    assert.match(error.message, /cache \(no entry\); snapshot \(not configured\); fallback \(none for this prompt among 1 inline prompts\)/);

    // Usage reports under a dead forge: never thrown, bounded, drops counted.
    for (let i = 0; i < 20; i++) client.recordUsage(live.trackingId, { success: true, latencyMs: i });
    client.recordUsage('not-a-tracking-id', { success: false });
    await client.flushUsage();
    assert.deepEqual(client.usageStats(), { queued: 5, sent: 0, dropped: 15, failedFlushes: 0 });

    forge = await ForgeProcess.start({ demo: repo.dir });
    await waitFor('the forge marked up', () => client.hostStates()[host] === 'up');
    await waitFor('fresh answers again', async () => (await client.get('welcome:staging', { app_name: 'B' })).source === 'forge');
    assert.equal((await client.get('welcome:staging', { app_name: 'B' })).sha, repo.v[1]);
  });

  it('gives a stuck forge one timeout per failure, then none until it answers again', async () => {
    await client?.close();
    client = createPromptClient({
      hosts: { [host]: { url: proxy.url } },
      defaults: { host, repo: 'demo' },
      timeoutMs: 200,
      liveUpdates: false,
      breaker: { failureThreshold: 2, probeIntervalMs: 20, maxProbeIntervalMs: 100 },
      fallbacks: { prompts: { 'demo/welcome': 'Shipped welcome for {{app_name}}' } },
    });
    await client.get('welcome:staging', { app_name: 'A' });
    forge.pause();
    try {
      for (const attempt of [1, 2]) {
        const r = await client.get(`welcome:1.0.0`, { app_name: 'A' });
        assert.equal(r.source, 'fallback', `attempt ${attempt}`);
      }
      assert.equal(client.hostStates()[host], 'down');
      const before = proxy.count('/api/v1/resolve');
      for (let i = 0; i < 20; i++) assert.equal((await client.get('welcome:1.0.0', { app_name: 'A' })).source, 'fallback');
      assert.equal((await client.get('welcome:staging', { app_name: 'A' })).source, 'cache');
      assert.equal(proxy.count('/api/v1/resolve'), before);
    } finally {
      forge.resume();
    }
    await waitFor('fresh answers again', async () => (await client.get('welcome:1.0.0', { app_name: 'A' })).source === 'forge');
  });

  it('serves the last-known-good snapshot after a restart while the forge is down', async () => {
    const snapshot = join(scratch, 'state', 'prompts.json');
    const options = { hosts: { [host]: { url: forge.url } }, defaults: { host, repo: 'demo' }, snapshot, liveUpdates: false };
    const first = createPromptClient(options);
    const fromForge = await first.get('welcome:staging', { app_name: 'A' });
    const chat = await first.get('chat', { question: 'Why?' });
    await first.close();

    await forge.kill();
    client = createPromptClient(options);
    const restored = await client.get('welcome:staging', { app_name: 'A' });
    assert.equal(restored.source, 'snapshot');
    assert.equal(restored.sha, fromForge.sha);
    assert.equal(restored.text, fromForge.text);
    assert.deepEqual((await client.get('chat', { question: 'Why?' })).messages, chat.messages);

    const error = await client.get('welcome:1.0.0', { app_name: 'A' }).catch((e) => e);
    assert.ok(error instanceof PromptUnavailableError);
    assert.match(error.message, new RegExp(`tried forge at ${forge.url} \\(connection refused\\); cache \\(no entry\\); snapshot .*prompts\\.json \\(no entry\\); fallback \\(none configured\\)`));
  });
});

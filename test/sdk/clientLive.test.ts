import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { createPromptClient, ForgeClient, type PromptClient } from '../../sdk';
import { makeFixtureRepo, welcomeFile, type FixtureRepo } from './helpers/fixtureRepo';
import { ForgeProcess } from './helpers/forgeProcess';
import { waitFor } from './helpers/waitFor';

const run = promisify(execFile);

describe('sdk live updates from a real forge', () => {
  let repo: FixtureRepo;
  let forge: ForgeProcess;
  let api: ForgeClient;
  let client: PromptClient;
  const host = 'forge.test';

  before(async () => {
    repo = makeFixtureRepo();
    forge = await ForgeProcess.start({ demo: repo.dir });
    api = new ForgeClient({ url: forge.url });
  });
  after(async () => {
    await client?.close();
    await api?.close();
    await forge?.stop();
    rmSync(repo.root, { recursive: true, force: true });
  });

  it('sees a promotion through the API and one made with plain git within 2 s, with a TTL of an hour', async () => {
    // The TTL rules out expiry: only the event stream can bring the new version in time.
    client = createPromptClient({ hosts: { [host]: { url: forge.url } }, defaults: { host, repo: 'demo' }, cache: { ttlMs: 3_600_000 } });
    const ref = 'welcome:production';
    assert.equal((await client.get(ref, { app_name: 'A' })).sha, repo.v[0]);
    assert.equal((await client.get(ref, { app_name: 'A' })).source, 'cache');

    await api.promote('demo', 'welcome', 'production', { version: repo.v[1], expected: repo.v[0] });
    const promoted = await waitFor('the API promotion', async () => {
      const r = await client.get(ref, { app_name: 'A' });
      return r.sha === repo.v[1] && r;
    }, 2000);
    assert.equal(promoted.text, 'Welcome to A (v2)! You are on the free plan.\n');

    // A plain-git move reaches the forge through its ref watcher: fs.watch at once, or its
    // once-a-second poll when the watch event is lost (seen on a loaded machine); the
    // deadline allows for that poll on top of the 2 s.
    repo.git('update-ref', 'refs/labels/welcome/production', repo.v[2], repo.v[1]);
    await waitFor('the plain-git promotion', async () => (await client.get(ref, { app_name: 'A' })).sha === repo.v[2], 3000);
  });

  it('reports usage tied to the exact version the app got', async () => {
    const usage = createPromptClient({ hosts: { [host]: { url: forge.url } }, defaults: { host, repo: 'demo' }, liveUpdates: false, usage: { flushIntervalMs: 60_000 } });
    const got = await usage.get('welcome:staging', { app_name: 'A' });
    usage.recordUsage(got.trackingId, { success: true, latencyMs: 120, inputTokens: 10, outputTokens: 5, model: 'm' });
    usage.recordUsage(got.trackingId, { success: false, latencyMs: 80 });
    await usage.close();
    assert.deepEqual(usage.usageStats(), { queued: 0, sent: 2, dropped: 0, failedFlushes: 0 });
    const metrics = await api.usage('demo', 'welcome');
    const version = metrics.versions.find((v) => v.sha === got.sha);
    assert.ok(version, `usage for ${got.sha} in ${JSON.stringify(metrics)}`);
    assert.equal(version.calls, 2);
    assert.equal(version.successRate, 0.5);
  });

  it('sends queued usage when an app exits without closing the client', async () => {
    const sdkPath = resolve(__dirname, '../../dist/sdk/index.cjs');
    const script = `const { createPromptClient } = require(${JSON.stringify(sdkPath)});
const c = createPromptClient({ hosts: { h: { url: process.argv[1] } }, defaults: { host: 'h', repo: 'demo' }, liveUpdates: false, usage: { flushIntervalMs: 600000 } });
c.get('welcome:1.0.0', { app_name: 'A' }).then((r) => { c.recordUsage(r.trackingId, { success: true, model: 'exit-test' }); });`;
    await run(process.execPath, ['-e', script, forge.url]);
    const metrics = await api.usage('demo', 'welcome', { version: '1.0.0' });
    assert.equal(metrics.versions.find((v) => v.sha === repo.v[0])?.calls, 1);
  });

  it('sees a new commit on HEAD within 2 s', async () => {
    const head = await client.get('welcome:HEAD', { app_name: 'A' });
    assert.equal(head.sha, repo.v[2]);
    const v4 = repo.commit('welcome.prompt', welcomeFile('v4'), 'welcome v4');
    const fresh = await waitFor('the new commit', async () => {
      const r = await client.get('welcome:HEAD', { app_name: 'A' });
      return r.sha === v4 && r;
    }, 2000);
    assert.match(fresh.text!, /\(v4\)/);
  });
});

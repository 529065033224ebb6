/**
 * Consented samples from an app, through the SDK, to a real forge and on to a review;
 * a sample without consent never leaves the app, and its numbers still count. Sent as a
 * raw batch (ForgeClient), such an event is refused by the forge and the rest kept.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPromptClient, ForgeClient, type PromptForgeError } from '../../sdk';
import { makeDemo, startForge, tempDir, type ForgeProcess } from '../forge/apiServer';
import { LlmStub } from '../fixtures/llm-stub';

describe('sdk usage samples with consent (a real forge)', function () {
  this.timeout(30_000);
  const tmp = tempDir('pf-sdk-samples-');
  let forge: ForgeProcess;
  let llm: LlmStub;

  before(async () => {
    const repo = makeDemo(tmp.dir);
    llm = await LlmStub.start({ reply: () => JSON.stringify({ summary: 'Fine.', suggestions: [], revised: null }) });
    const config = join(tmp.dir, 'forge.yaml');
    writeFileSync(config, `llm:\n  url: ${llm.url}\n  model: reviewer\n`);
    forge = await startForge(['--config', config, '--repo', `demo=${repo}`, '--usage-db', ':memory:']);
  });
  after(async () => {
    await forge?.stop();
    await llm?.close();
    tmp.cleanup();
  });

  it('sends consented inputs and outputs, drops unconsented ones with an error, and counts every call', async () => {
    const errors: PromptForgeError[] = [];
    const app = createPromptClient({ hosts: { forge: { url: forge.url } }, defaults: { host: 'forge', repo: 'demo' }, liveUpdates: false, onError: (e) => errors.push(e as PromptForgeError) });
    const got = await app.get('welcome:production', { app_name: 'Acme' });
    app.recordUsage(got.trackingId, { success: true, consent: true, input: { app_name: 'Acme' }, output: 'Welcome to Acme!', feedback: 1 });
    app.recordUsage(got.trackingId, { success: false, input: 'private words', output: 'never kept' });
    await app.close();
    assert.deepEqual(errors.map((e) => e.code), ['consent_required']);
    assert.deepEqual(app.usageStats(), { queued: 0, sent: 2, dropped: 0, failedFlushes: 0 });

    const api = new ForgeClient({ url: forge.url });
    try {
      const metrics = await api.usage('demo', 'welcome');
      assert.equal(metrics.versions.find((v) => v.sha === got.sha)?.calls, 2, 'the unconsented call still counts');
      const review = await api.review('demo', 'welcome', { version: got.sha! });
      assert.equal(review.samples, 1);
    } finally {
      await api.close();
    }
    const sent = llm.requests.at(-1)!.body.messages.map((m) => m.content).join('\n');
    assert.match(sent, /Welcome to Acme!/);
    assert.match(sent, /\\"app_name\\":\\"Acme\\"/);
    assert.doesNotMatch(sent, /private words|never kept/);
  });

  it('has the forge refuse a batched event whose input lacks consent, and keep the rest of the batch', async () => {
    const api = new ForgeClient({ url: forge.url });
    try {
      const { canonical, sha } = await api.resolve('prompt://localhost/demo/welcome/staging?app_name=Acme');
      const answer = await api.recordUsage([
        { uri: canonical, success: true, consent: true, input: 'kept with consent', output: { reply: 'Welcome!' } },
        { uri: canonical, success: true, input: 'sent without consent' },
        { repo: 'demo', id: 'welcome', sha, success: false },
      ]);
      assert.equal(answer.accepted, 2);
      assert.deepEqual((answer.rejected as { index: number; code: string }[]).map((r) => [r.index, r.code]), [[1, 'consent_required']]);
      assert.equal((await api.usage('demo', 'welcome', { version: sha })).versions[0].calls, 2);
      const review = await api.review('demo', 'welcome', { version: sha });
      assert.equal(review.samples, 1);
      const sent = llm.requests.at(-1)!.body.messages.map((m) => m.content).join('\n');
      assert.match(sent, /kept with consent/);
      assert.doesNotMatch(sent, /sent without consent/);
    } finally {
      await api.close();
    }
  });
});

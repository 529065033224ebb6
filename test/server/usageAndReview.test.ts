/**
 * Usage metrics and LLM review through the language server: a real forge process with
 * a review endpoint (the OpenAI-compatible stub), and a local folder reviewed in process.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResponseError } from 'vscode-languageserver-protocol';
import { ForgeClient } from '../../sdk';
import * as protocol from '../../server/src/protocol';
import { startForge, tempDir, type ForgeProcess } from '../forge/apiServer';
import { LlmStub, type StubRequest } from '../fixtures/llm-stub';
import type { TestRepo } from '../fixtures/git/makeRepo';
import { TestClient } from './support/client';
import { fixtureRepo } from './support/fixtureRepo';

/** The model's answer: shorten the greeting of whatever file the review sent. */
function shorten(request: StubRequest): string {
  const user = request.messages.at(-1)!.content!;
  const source = (JSON.parse(user.slice(user.indexOf('{'), user.lastIndexOf('}') + 1)) as { source: string }).source;
  return JSON.stringify({
    summary: 'The greeting is long-winded.',
    suggestions: [{ title: 'Say hi', detail: 'Users answer shorter greetings.' }],
    revised: source.replace(/^.*? \{\{app_name\}\}!/m, 'Hi from {{app_name}}!'),
  });
}

async function rejection(promise: Promise<unknown>): Promise<ResponseError<{ code: string }>> {
  try {
    await promise;
  } catch (error) {
    return error as ResponseError<{ code: string }>;
  }
  assert.fail('expected the request to fail');
}

describe('server: usage metrics and review', function () {
  this.timeout(30_000);
  const tmp = tempDir('pf-server-review-');
  let remote: TestRepo;
  let local: TestRepo;
  let forge: ForgeProcess;
  let llm: LlmStub;
  let client: TestClient;
  const where = { host: 'forge:7070', repo: 'demo', id: 'welcome' };

  before(async () => {
    remote = fixtureRepo();
    local = fixtureRepo();
    llm = await LlmStub.start({ reply: shorten });
    const config = join(tmp.dir, 'forge.yaml');
    writeFileSync(config, `llm:\n  url: ${llm.url}\n  model: reviewer-1\n  timeoutMs: 10000\n`);
    forge = await startForge(['--config', config, '--repo', `demo=${remote.dir}`, '--usage-db', ':memory:']);
    client = await TestClient.start({ settings: { hosts: { 'forge:7070': { url: forge.url }, 'disk.local': { path: local.dir } } } });
  });
  after(async () => {
    await client.stop();
    await Promise.all([forge.stop(), llm.close()]);
    remote.cleanup();
    local.cleanup();
    tmp.cleanup();
  });

  it('answers per-version metrics and a daily series of calls and success rate', async () => {
    const [production, staging] = ['production', 'staging'].map((label) => remote.git('rev-parse', `refs/labels/welcome/${label}`));
    const sdk = new ForgeClient({ url: forge.url });
    const now = new Date();
    await sdk.recordUsage([
      { repo: 'demo', id: 'welcome', sha: production, success: true, latencyMs: 400, at: new Date(now.getTime() - 86_400_000).toISOString() },
      { repo: 'demo', id: 'welcome', sha: production, success: false, latencyMs: 900, at: now.toISOString() },
      { repo: 'demo', id: 'welcome', sha: staging, success: true, feedback: 1, at: now.toISOString() },
    ]);
    await sdk.close();

    const result = await client.request(protocol.UsageRequest, { ...where, bucket: 'day' });
    const bySha = new Map(result.versions.map((v) => [v.sha, v]));
    assert.equal(bySha.get(production)?.calls, 2);
    assert.equal(bySha.get(production)?.successRate, 0.5);
    assert.equal(bySha.get(staging)?.feedback, 1);
    assert.equal(result.series?.bucket, 'day');
    const points = result.series!.versions.find((v) => v.sha === production)!.points;
    assert.deepEqual(
      points.map((p) => [p.calls, p.successRate]),
      [
        [1, 1],
        [1, 0],
      ],
      'one point per day the version was used',
    );
    const recent = await client.request(protocol.UsageRequest, { ...where, since: new Date(now.getTime() - 60_000).toISOString() });
    assert.equal(recent.versions.find((v) => v.sha === production)?.calls, 1, 'since filters out the older call');
  });

  it('says a local folder records no usage', async () => {
    const error = await rejection(client.request(protocol.UsageRequest, { host: 'disk.local', repo: 'demo', id: 'welcome' }));
    assert.equal(error.data?.code, 'usage_unavailable');
    assert.match(error.message, /local folder/);
  });

  it('reviews a forge version with the forge endpoint and applies the suggestion as a draft branch only', async () => {
    const mainBefore = remote.git('rev-parse', 'main');
    const labelsBefore = remote.git('for-each-ref', 'refs/labels');
    const review = await client.request(protocol.ReviewRequest, { ...where, version: 'production', instruction: 'be brief' });
    assert.equal(review.sha, remote.git('rev-parse', 'refs/labels/welcome/production'));
    assert.equal(review.summary, 'The greeting is long-winded.');
    assert.deepEqual(review.suggestions.map((s) => s.title), ['Say hi']);
    assert.match(review.diff!, /^\+Hi from \{\{app_name\}\}/m);
    assert.deepEqual(review.problems, []);
    assert.match(llm.requests.at(-1)!.body.messages.map((m) => m.content).join('\n'), /be brief/);

    const draft = await client.request(protocol.ApplyReviewRequest, { ...where, content: review.revised!, base: review.sha, message: 'Shorter greeting' });
    assert.match(draft.branch, /^review\/welcome-\d{8}$/);
    assert.equal(draft.branchUri, `prompt://forge:7070/demo/welcome/${draft.branch}/HEAD`);
    assert.equal(remote.git('rev-parse', `refs/heads/${draft.branch}`), draft.sha);
    assert.equal(remote.git('rev-parse', 'main'), mainBefore, 'the default branch stays where it was');
    assert.equal(remote.git('for-each-ref', 'refs/labels'), labelsBefore, 'no label moved');
    const rendered = await client.request(protocol.RenderRequest, { uri: `${draft.branchUri}?app_name=Acme` });
    assert.match(rendered.text!, /^Hi from Acme!/);
  });

  it('reports a model answer that is not a review, and writes nothing', async () => {
    const branches = remote.git('for-each-ref', 'refs/heads');
    llm.setReply(() => 'I think it is fine.');
    try {
      const error = await rejection(client.request(protocol.ReviewRequest, where));
      assert.equal(error.data?.code, 'bad_llm_output');
      assert.equal(error.code, protocol.ErrorCodes.Invalid);
    } finally {
      llm.setReply(shorten);
    }
    assert.equal(remote.git('for-each-ref', 'refs/heads'), branches);
  });

  it('reviews a local folder in process with the editor endpoint, and commits the draft into that repository', async () => {
    const local1 = { host: 'disk.local', repo: 'demo', id: 'welcome' };
    const missing = await rejection(client.request(protocol.ReviewRequest, local1));
    assert.equal(missing.data?.code, 'llm_not_configured');
    assert.match(missing.message, /promptforge\.llm\.endpoint/);

    const review = await client.request(protocol.ReviewRequest, { ...local1, llm: { url: llm.url, model: 'editor-model' } });
    assert.equal(llm.requests.at(-1)!.body.model, 'editor-model');
    assert.equal(review.samples, 0, 'a folder has no recorded usage to sample');
    const mainBefore = local.git('rev-parse', 'main');
    const draft = await client.request(protocol.ApplyReviewRequest, { ...local1, content: review.revised!, base: review.sha });
    assert.equal(local.git('rev-parse', `refs/heads/${draft.branch}`), draft.sha);
    assert.equal(local.git('rev-parse', 'main'), mainBefore);
    const { hosts } = await client.request(protocol.TreeRequest, { host: 'disk.local' });
    assert.ok(hosts[0].repos[0].prompts.some((p) => p.id === 'welcome'));
  });
});

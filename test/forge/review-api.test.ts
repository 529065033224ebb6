/** Review routes on a real forge process talking to the OpenAI-compatible stub. */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LlmStub, type StubRequest } from '../fixtures/llm-stub';
import { makeDemo, startForge, tempDir, type ForgeProcess } from './apiServer';

async function call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(base + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

/** The bundle the forge sent, read back from the stub's request. */
function bundleOf(request: StubRequest): { source: string; sha: string; samples: { input: string | null }[] } {
  const user = request.messages[1].content!;
  return JSON.parse(user.slice(user.indexOf('{'), user.lastIndexOf('}') + 1));
}

describe('review routes', function () {
  this.timeout(30_000);
  const tmp = tempDir('pf-review-api-');
  let repo: string;
  let forge: ForgeProcess;
  let stub: LlmStub;
  const api = (method: string, path: string, body?: unknown) => call(forge.url, method, path, body);
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
  const refs = () => git('for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads');
  const improve = (req: StubRequest) => {
    const { source } = bundleOf(req);
    return JSON.stringify({
      summary: 'The opening is long.',
      suggestions: [{ title: 'Shorten the opening', detail: 'Feedback is negative on long greetings.' }],
      revised: source.replace(/Welcome to \{\{app_name\}\}/, 'Hi from {{app_name}}'),
    });
  };

  before(async () => {
    repo = makeDemo(tmp.dir);
    stub = await LlmStub.start({ apiKey: 'sk-review' });
    const config = join(tmp.dir, 'forge.yaml');
    writeFileSync(config, `llm:\n  url: ${stub.url}\n  model: reviewer-1\n  apiKeyEnv: REVIEW_TEST_KEY\n  timeoutMs: 10000\n`);
    forge = await startForge(['--config', config, '--repo', `demo=${repo}`], { env: { REVIEW_TEST_KEY: 'sk-review' } });
    const head = (await api('GET', `/api/v1/resolve?uri=${encodeURIComponent('prompt://localhost/demo/welcome/HEAD?app_name=Acme')}`)).body;
    const posted = await api('POST', '/api/v1/usage', {
      events: [
        { uri: head.canonical, consent: true, input: '{"app_name":"Acme"}', output: 'Welcome to Acme, there! 🎉', feedback: -1, success: true },
        { uri: head.canonical, feedback: 1, success: true, metadata: { secret: 'never-sent' } },
      ],
    });
    assert.equal(posted.body.accepted, 2);
  });
  after(async () => {
    await forge?.stop();
    await stub?.close();
    tmp.cleanup();
  });

  it('sends the prompt, its metrics and only consented samples, and answers parsed suggestions with a diff', async () => {
    stub.setReply(improve);
    const before = stub.requests.length;
    const { status, body } = await api('POST', '/api/v1/repos/demo/prompts/welcome/review', { version: 'staging', instruction: 'keep it short' });
    assert.equal(status, 200, JSON.stringify(body));
    const sent = stub.requests[before];
    assert.equal(sent.headers.authorization, 'Bearer sk-review');
    assert.equal(sent.body.model, 'reviewer-1');
    const bundle = bundleOf(sent.body);
    assert.equal(bundle.sha, body.sha);
    assert.deepEqual(bundle.samples.map((s) => s.input), ['{"app_name":"Acme"}']);
    assert.ok(!sent.body.messages[1].content!.includes('never-sent'));
    assert.ok(sent.body.messages[1].content!.includes('keep it short'));

    assert.deepEqual(body.suggestions.map((s: any) => s.title), ['Shorten the opening']);
    assert.match(body.revised, /Hi from \{\{app_name\}\}/);
    assert.match(body.diff, /^\+.*Hi from \{\{app_name\}\}/m);
    assert.equal(body.samples, 1);
  });

  it('applies a suggestion as a draft on review/ID-DATE without moving the default branch or labels', async () => {
    stub.setReply(improve);
    const reviewed = (await api('POST', '/api/v1/repos/demo/prompts/welcome/review', { version: 'HEAD' })).body;
    const defaultBranch = git('symbolic-ref', '--short', 'HEAD');
    const tipBefore = git('rev-parse', defaultBranch);
    const labelsBefore = git('for-each-ref', 'refs/labels');

    const first = await api('POST', '/api/v1/repos/demo/prompts/welcome/review/apply', { content: reviewed.revised, base: reviewed.sha });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    assert.equal(first.body.branch, `review/welcome-${day}`);
    assert.equal(git('rev-parse', defaultBranch), tipBefore, 'default branch unchanged');
    assert.equal(git('for-each-ref', 'refs/labels'), labelsBefore, 'labels unchanged');
    assert.equal(git('rev-parse', `refs/heads/${first.body.branch}`), first.body.sha);
    assert.equal(git('rev-parse', `${first.body.sha}^`), tipBefore, 'the draft branch starts at the default branch');

    const draft = await api('GET', `/api/v1/resolve?uri=${encodeURIComponent(`prompt://localhost/demo/welcome/${first.body.branch}/HEAD?app_name=Acme`)}`);
    assert.match(draft.body.text, /^Hi from Acme/);

    const second = await api('POST', '/api/v1/repos/demo/prompts/welcome/review/apply', { content: reviewed.revised, base: reviewed.sha });
    assert.equal(second.body.branch, `review/welcome-${day}-2`);
  });

  it('applies a review of production, older than HEAD, on a branch that starts at production', async () => {
    const production = git('rev-parse', 'refs/labels/welcome/production');
    assert.notEqual(production, git('rev-parse', 'HEAD'), 'the demo keeps production behind HEAD');
    stub.setReply(improve);
    const reviewed = await api('POST', '/api/v1/repos/demo/prompts/welcome/review', { version: 'production' });
    assert.equal(reviewed.body.sha, production);
    const applied = await api('POST', '/api/v1/repos/demo/prompts/welcome/review/apply', { content: reviewed.body.revised, base: reviewed.body.sha });
    assert.equal(applied.status, 201, JSON.stringify(applied.body));
    assert.equal(git('rev-parse', `${applied.body.sha}^`), production, 'the draft descends from the reviewed version');
    assert.equal(git('show', `${applied.body.sha}:welcome.prompt`) + '\n', reviewed.body.revised);
  });

  it('commits nothing when the model answers garbage or the suggestion is not a valid prompt', async () => {
    const before = refs();
    stub.setReply(() => 'Sure! I would make it friendlier.');
    const garbage = await api('POST', '/api/v1/repos/demo/prompts/welcome/review', {});
    assert.equal(garbage.status, 502);
    assert.equal(garbage.body.error.code, 'bad_llm_output');
    assert.match(garbage.body.error.message, /no JSON object.*nothing was changed/);

    stub.setReply(() => ({ status: 503, body: { error: { message: 'overloaded' } } }));
    const down = await api('POST', '/api/v1/repos/demo/prompts/welcome/review', {});
    assert.deepEqual([down.status, down.body.error.code], [502, 'llm_failed']);

    const head = git('rev-parse', 'HEAD');
    const invalid = await api('POST', '/api/v1/repos/demo/prompts/welcome/review/apply', { content: '---\nparams: [oops\n---\nHi', base: head });
    assert.equal(invalid.status, 422);
    assert.equal(refs(), before, 'no branch was created or moved');
  });
});

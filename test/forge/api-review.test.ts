/** Review with an LLM and apply-as-draft through the forge API, against an OpenAI-compatible stub. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LlmStub } from '../fixtures/llm-stub';
import { makeDemo, startForge, tempDir, type ForgeProcess } from './apiServer';

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();

describe('forge API: review with an LLM', function () {
  let tmp: ReturnType<typeof tempDir>;
  let repo: string;
  let stub: LlmStub;
  let forge: ForgeProcess;

  const post = async (path: string, body: unknown) => {
    const res = await fetch(forge.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };

  before(async () => {
    tmp = tempDir();
    repo = makeDemo(tmp.dir);
    stub = await LlmStub.start({ apiKey: 'sk-test' });
    const config = join(tmp.dir, 'forge.yaml');
    writeFileSync(config, `repos:\n  demo: ./demo\nllm:\n  url: ${stub.url}\n  model: stub-model\n  apiKeyEnv: REVIEW_KEY\n`);
    forge = await startForge(['--config', config], { env: { REVIEW_KEY: 'sk-test' } });
  });
  after(async () => {
    await forge?.stop();
    await stub?.close();
    tmp?.cleanup();
  });

  it('sends the prompt to the configured endpoint and commits the suggestion on a review branch only', async () => {
    const source = git(repo, 'show', 'refs/labels/welcome/staging:welcome.prompt') + '\n';
    const revised = source.replace('The quick tour shows', 'Take the quick tour: it shows');
    stub.setReply(() => JSON.stringify({ summary: 'Clearer call to action', suggestions: [{ title: 'Use an imperative', detail: 'Users act on verbs' }], revised }));
    const reviewed = await post('/api/v1/repos/demo/prompts/welcome/review', { version: 'staging', instruction: 'clearer tour hint' });
    assert.equal(reviewed.status, 200, JSON.stringify(reviewed.body));
    assert.equal(reviewed.body.sha, git(repo, 'rev-parse', 'refs/labels/welcome/staging'));
    assert.match(reviewed.body.diff, /^\+.*Take the quick tour/m);
    assert.equal(stub.requests.at(-1)!.body.model, 'stub-model');
    assert.match(stub.requests.at(-1)!.body.messages[1].content!, /clearer tour hint/);

    const main = git(repo, 'rev-parse', 'main');
    const applied = await post('/api/v1/repos/demo/prompts/welcome/review/apply', { content: reviewed.body.revised, base: reviewed.body.sha, message: 'Review: clearer tour hint' });
    assert.equal(applied.status, 201, JSON.stringify(applied.body));
    assert.match(applied.body.branch, /^review\/welcome-\d{8}$/);
    assert.equal(git(repo, 'rev-parse', applied.body.branch), applied.body.sha);
    assert.equal(git(repo, 'rev-parse', 'main'), main, 'the default branch stays where it was');
    assert.equal(git(repo, 'show', `${applied.body.sha}:welcome.prompt`) + '\n', revised);
  });

  it('applies a review of production, older than HEAD, on a branch that starts at production', async () => {
    const production = git(repo, 'rev-parse', 'refs/labels/welcome/production');
    assert.notEqual(production, git(repo, 'rev-parse', 'main'), 'the demo keeps production behind HEAD');
    const source = git(repo, 'show', `${production}:welcome.prompt`) + '\n';
    const revised = source.replace('Welcome to', 'A warm welcome to');
    assert.notEqual(revised, source);
    stub.setReply(() => JSON.stringify({ summary: 'Warmer', suggestions: [{ title: 'Warmer opening', detail: 'First words set the tone' }], revised }));
    const reviewed = await post('/api/v1/repos/demo/prompts/welcome/review', { version: 'production' });
    assert.equal(reviewed.status, 200, JSON.stringify(reviewed.body));
    const applied = await post('/api/v1/repos/demo/prompts/welcome/review/apply', { content: reviewed.body.revised, base: reviewed.body.sha });
    assert.equal(applied.status, 201, JSON.stringify(applied.body));
    assert.equal(git(repo, 'rev-parse', `${applied.body.sha}^`), production, 'the draft descends from the reviewed version');
    assert.equal(git(repo, 'show', `${applied.body.sha}:welcome.prompt`) + '\n', revised);
  });

  it('reports a malformed model answer as 502 and never writes', async () => {
    stub.setReply(() => 'I would not change a thing!');
    const refs = git(repo, 'for-each-ref');
    const { status, body } = await post('/api/v1/repos/demo/prompts/welcome/review', {});
    assert.equal(status, 502);
    assert.equal(body.error.code, 'bad_llm_output');
    assert.equal(git(repo, 'for-each-ref'), refs);
  });
});

/** Test runs on a real forge process: run a version's suite on the stub, store results per commit, read them back, announce them. */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LlmStub } from '../fixtures/llm-stub';
import { openEvents } from './apiEvents';
import { startForge, tempDir, type ForgeProcess } from './apiServer';

async function call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(base + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

describe('test routes', function () {
  const tmp = tempDir('pf-tests-api-');
  const repo = join(tmp.dir, 'p');
  let forge: ForgeProcess;
  let bare: ForgeProcess;
  let stub: LlmStub;
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
  const commit = (files: Record<string, string>, message: string) => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(repo, name), text);
    git('add', '-A');
    git('commit', '-qm', message);
    return git('rev-parse', 'HEAD');
  };
  let v1: string;
  let v2: string;

  before(async () => {
    execFileSync('git', ['init', '-q', '-b', 'main', repo]);
    git('config', 'user.name', 'Test');
    git('config', 'user.email', 'test@example.com');
    v1 = commit({ 'greet.prompt': '---\nparams:\n  name: { type: string, required: true }\n---\nGreet {{name}} warmly.\n', 'plain.prompt': 'No tests here.\n' }, 'v1');
    v2 = commit({ 'greet.prompt': '---\nparams:\n  name: { type: string, required: true }\n---\nGreet {{name}} coldly.\n' }, 'v2');
    // Tests added after both versions: the forge runs today's suite against any version.
    commit(
      {
        'greet.test.yaml': `tests:
  - description: warm in the prompt
    vars: { name: Ann }
    assert: [{ type: contains, value: warmly, target: render }]
  - description: the model answers warmly
    vars: { name: Ann }
    assert: [{ type: icontains, value: welcome }]
`,
      },
      'tests',
    );
    stub = await LlmStub.start({ reply: (req) => (req.messages[0].content?.includes('warmly') ? 'Welcome, Ann!' : 'Hi.') });
    const config = join(tmp.dir, 'forge.yaml');
    writeFileSync(config, `llm:\n  url: ${stub.url}\n  model: tester-1\n`);
    forge = await startForge(['--config', config, '--repo', `p=${repo}`]);
    bare = await startForge(['--repo', `p=${repo}`, '--usage-db', join(tmp.dir, 'other.db')]);
  });
  after(async () => {
    await forge?.stop();
    await bare?.stop();
    await stub?.close();
    tmp.cleanup();
  });

  it('runs the suite on the version asked for, stores the result per commit, and announces it', async () => {
    const events = await openEvents(forge.url);
    try {
      const run = await call(forge.url, 'POST', '/api/v1/repos/p/prompts/greet/tests/run', { version: v1 });
      assert.equal(run.status, 201, JSON.stringify(run.body));
      assert.equal(run.body.sha, v1);
      assert.deepEqual([run.body.result.passed, run.body.result.failed], [2, 0]);
      assert.equal(run.body.suite.path, 'greet.test.yaml');
      const announced = await events.next((e) => e.event === 'tests.completed' && e.data.sha === v1);
      assert.deepEqual([announced.data.passed, announced.data.failed], [2, 0]);

      const head = await call(forge.url, 'POST', '/api/v1/repos/p/prompts/greet/tests/run', {});
      assert.equal(head.body.sha, v2);
      assert.deepEqual([head.body.result.passed, head.body.result.failed], [0, 2]);
      assert.match(head.body.result.tests[1].assertions[0].reason, /does not contain "welcome"/);
    } finally {
      events.close();
    }
    const stored = await call(forge.url, 'GET', `/api/v1/repos/p/prompts/greet/tests?version=${v1}`);
    assert.equal(stored.status, 200);
    assert.equal(stored.body.result.passed, 2);
    assert.equal((await call(forge.url, 'GET', '/api/v1/repos/p/prompts/greet/tests?version=HEAD')).body.result.failed, 2);
  });

  it('answers with codes: no results yet, no suite, no endpoint for a suite that needs one', async () => {
    const none = await call(bare.url, 'GET', '/api/v1/repos/p/prompts/plain/tests?version=HEAD');
    assert.equal(none.status, 404);
    assert.equal(none.body.error.code, 'tests_not_run');
    const noSuite = await call(forge.url, 'POST', '/api/v1/repos/p/prompts/plain/tests/run', {});
    assert.equal(noSuite.status, 404);
    assert.equal(noSuite.body.error.code, 'suite_not_found');
    assert.match(noSuite.body.error.message, /add plain\.test\.yaml/);
    const noModel = await call(bare.url, 'POST', '/api/v1/repos/p/prompts/greet/tests/run', {});
    assert.equal(noModel.status, 503);
    assert.equal(noModel.body.error.code, 'llm_not_configured');
  });
});

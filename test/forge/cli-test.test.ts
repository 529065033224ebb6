/** `promptforge test` as a real process against the OpenAI-compatible stub: exit codes, reporters, retries, versions. */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LlmStub } from '../fixtures/llm-stub';
import { CLI, tempDir } from './apiServer';

function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, PROMPTFORGE_LLM_ENDPOINT: '', ...env }, encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();

const GREETING = `---
description: Greets a user
params:
  name: { type: string, required: true }
model: { name: greeter-1, temperature: 0 }
---
Say hello to {{name}}. {{> sign}}
`;

describe('promptforge test', function () {
  let tmp: ReturnType<typeof tempDir>;
  let repo: string;
  let stub: LlmStub;

  before(async () => {
    tmp = tempDir('pf-test-');
    repo = join(tmp.dir, 'prompts');
    execFileSync('git', ['init', '-q', '-b', 'main', repo]);
    git(repo, 'config', 'user.name', 'Test');
    git(repo, 'config', 'user.email', 'test@example.com');
    writeFileSync(join(repo, 'greet.prompt'), GREETING);
    writeFileSync(join(repo, 'sign.prompt'), '---\ndescription: signature\n---\n-- the team');
    writeFileSync(
      join(repo, 'greet.test.yaml'),
      `description: greetings
tests:
  - description: renders the name and the signature
    vars: { name: Ann }
    assert:
      - { type: contains-all, value: [Ann, "-- the team"], target: render }
  - description: the model greets by name
    vars: { name: Ann }
    assert:
      - { type: icontains, value: "hello ann" }
      - { type: not-contains, value: sorry }
`,
    );
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'greet');
    stub = await LlmStub.start();
  });
  // Each test starts from the same stub: it greets whoever the prompt says hello to.
  beforeEach(() => stub.setReply((req) => `Hello ${/hello to (\w+)/.exec(req.messages.at(-1)!.content ?? '')?.[1] ?? 'nobody'}!`));
  after(async () => {
    await stub?.close();
    tmp?.cleanup();
  });

  it('passes with exit 0, sends the rendered prompt with the prompt\'s own model settings', async () => {
    const from = stub.requests.length;
    const out = await cli(['test', '--endpoint', stub.url], repo);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /✓ renders the name and the signature/);
    assert.match(out.stdout, /2 tests: 2 passed, 0 failed/);
    const sent = stub.requests.slice(from);
    assert.equal(sent.length, 1, 'the render-only test asked no model');
    assert.equal(sent[0].body.model, 'greeter-1');
    assert.equal(sent[0].body.temperature, 0);
    assert.equal(sent[0].body.messages[0].content, 'Say hello to Ann. -- the team\n');
  });

  it('fails with exit 1 and a JUnit report naming the assertion, expected and actual', async () => {
    stub.setReply(() => 'Sorry, I cannot.');
    const out = await cli(['test', 'greet.test.yaml', '--endpoint', stub.url, '--reporter', 'junit'], repo);
    assert.equal(out.code, 1, out.stderr);
    assert.match(out.stdout, /<testsuites name="promptforge" tests="2" failures="1"/);
    assert.match(out.stdout, /<testcase name="the model greets by name" classname="greet" file="greet.test.yaml"[^>]*>\s*<failure message="icontains: the output does not contain &quot;hello ann&quot; \(ignoring case\)/);
  });

  it('retries an endpoint that answers 429, honouring Retry-After', async () => {
    let calls = 0;
    stub.setReply(() => (++calls === 1 ? { status: 429, body: { error: { message: 'slow down' } }, headers: { 'retry-after': '0' } } : 'Hello Ann'));
    const out = await cli(['test', '--endpoint', stub.url, '--reporter', 'json'], repo);
    assert.equal(out.code, 0, out.stdout + out.stderr);
    const json = JSON.parse(out.stdout) as { suites: { result: { tests: { attempts: number }[] } }[] };
    assert.equal(json.suites[0].result.tests[1].attempts, 2);
    assert.equal(calls, 2);
  });

  it('tests the prompt as of a version from git, and the file on disk otherwise', async () => {
    writeFileSync(join(repo, 'greet.prompt'), GREETING.replace('Say hello to', 'Wave at'));
    try {
      const disk = await cli(['test', '--endpoint', stub.url], repo);
      assert.equal(disk.code, 1, 'the edited file on disk no longer says hello');
      const head = await cli(['test', '--endpoint', stub.url, '--version', 'HEAD'], repo);
      assert.equal(head.code, 0, head.stdout + head.stderr);
      assert.match(head.stdout, new RegExp(`greet @ HEAD \\(${git(repo, 'rev-parse', 'HEAD').slice(0, 12)}\\)`));
    } finally {
      git(repo, 'checkout', '--', 'greet.prompt');
    }
  });

  it('exits 2 with one line naming the problem: no endpoint, a broken suite, a bad flag', async () => {
    const none = await cli(['test'], repo);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^promptforge test: 1 test needs a model: pass --endpoint URL or set PROMPTFORGE_LLM_ENDPOINT \(see promptforge test --help\)\n$/);
    const dir = join(tmp.dir, 'broken');
    execFileSync('mkdir', ['-p', dir]);
    writeFileSync(join(dir, 'x.prompt'), 'Hi');
    writeFileSync(join(dir, 'x.test.yaml'), 'tests:\n  - vars: {}\n    assert:\n      - type: containz\n        value: a\n');
    const broken = await cli(['test', dir], tmp.dir);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /^promptforge test: broken\/x\.test\.yaml:4:15: test 1: unknown assertion type `containz`.*\[unknown_assertion\] \(see promptforge test --help\)\n$/);
    const flag = await cli(['test', '--reporter', 'tap'], repo);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /--reporter must be one of pretty, json, junit/);
  });
});

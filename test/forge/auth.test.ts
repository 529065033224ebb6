/** API keys and roles, loopback-only without keys, and config errors, on a real forge process. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDemo, runCli, startForge, tempDir, type ForgeProcess } from './apiServer';

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();

describe('forge auth: API keys and roles', function () {
  let tmp: ReturnType<typeof tempDir>;
  let repo: string;
  let config: string;
  const keys: Record<string, string> = {};
  let forge: ForgeProcess;

  const call = async (method: string, path: string, key?: string, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (key) headers.authorization = `Bearer ${key}`;
    if (body) headers['content-type'] = 'application/json';
    const res = await fetch(forge.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any, headers: res.headers };
  };

  before(async () => {
    tmp = tempDir();
    repo = makeDemo(tmp.dir);
    config = join(tmp.dir, 'forge.yaml');
    writeFileSync(config, '# the demo forge\nrepos:\n  demo: ./demo\n');
    for (const [name, role] of [['reader', 'read'], ['ci', 'write'], ['ops', 'admin']]) {
      const out = runCli(['keys', 'add', name, '--role', role, '--config', config]);
      assert.equal(out.code, 0, out.stderr);
      keys[name] = out.stdout.trim();
    }
    forge = await startForge(['--config', config]);
  });
  after(async () => {
    await forge?.stop();
    tmp?.cleanup();
  });

  it('prints each key once and stores only its hash, keeping the file as written', () => {
    const text = readFileSync(config, 'utf8');
    assert.match(text, /^# the demo forge/);
    for (const key of Object.values(keys)) {
      assert.match(key, /^pf_[A-Za-z0-9_-]{43}$/);
      assert.ok(!text.includes(key), 'the key itself is not stored');
    }
    assert.equal((text.match(/hash: sha256:[0-9a-f]{64}/g) ?? []).length, 3);
    const dup = runCli(['keys', 'add', 'ci', '--role', 'read', '--config', config]);
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /a key named "ci" already exists/);
    const badRole = runCli(['keys', 'add', 'x', '--role', 'root', '--config', config]);
    assert.equal(badRole.code, 2);
    assert.match(badRole.stderr, /--role must be one of read, write, approve, admin/);
  });

  it('answers 401 without a valid key, but liveness stays open', async () => {
    assert.equal((await call('GET', '/healthz')).status, 200);
    const none = await call('GET', '/api/v1/repos');
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'unauthorized');
    assert.equal(none.headers.get('www-authenticate'), 'Bearer');
    const wrong = await call('GET', '/api/v1/repos', 'pf_' + 'A'.repeat(43));
    assert.equal(wrong.status, 401);
    assert.match(wrong.body.error.message, /not valid/);
    assert.equal((await call('GET', '/api/v1/repos', keys.reader)).status, 200);
  });

  it('lets a read key read but not write (403), and a write key write as its name', async () => {
    const current = git(repo, 'rev-parse', 'refs/labels/welcome/staging');
    const denied = await call('PUT', '/api/v1/repos/demo/prompts/welcome/labels/staging', keys.reader, { version: '1.1.0', expected: current });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, 'forbidden');
    assert.match(denied.body.error.message, /"reader" has role read; this needs write/);
    assert.equal(git(repo, 'rev-parse', 'refs/labels/welcome/staging'), current);

    const moved = await call('PUT', '/api/v1/repos/demo/prompts/welcome/labels/staging', keys.ci, { version: '1.1.0', expected: current });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.by, 'ci');
    const history = await call('GET', '/api/v1/repos/demo/prompts/welcome/labels/staging/history', keys.reader);
    assert.equal(history.body.history[0].by, 'ci');

    const head = git(repo, 'rev-parse', 'main');
    const source = git(repo, 'show', 'main:summarize-ticket.prompt');
    const committed = await call('PUT', '/api/v1/repos/demo/prompts/summarize-ticket', keys.ops, { content: source + '\nKeep it short.\n', base: head, message: 'shorter' });
    assert.equal(committed.status, 200, JSON.stringify(committed.body));
    assert.equal(git(repo, 'log', '-1', '--format=%an', 'main'), 'ops', 'an admin key can write too, as its name');
  });
});

describe('forge auth: listening and config errors', function () {
  let tmp: ReturnType<typeof tempDir>;
  let repo: string;

  before(() => {
    tmp = tempDir();
    repo = makeDemo(tmp.dir);
  });
  after(() => tmp?.cleanup());

  it('refuses to listen beyond loopback without keys', () => {
    const out = runCli(['serve', '--repo', `demo=${repo}`, '--host', '0.0.0.0', '--port', '0']);
    assert.equal(out.code, 1);
    assert.match(out.stderr, /refusing to listen on 0\.0\.0\.0 without API keys/);
    assert.equal(out.stderr.trim().split('\n').length, 1, 'one line');
  });

  it('names the key and file:line:col of a bad setting', () => {
    const file = join(tmp.dir, 'bad.yaml');
    writeFileSync(file, `repos:\n  demo: ${repo}\nlisten:\n  port: seventy\n`);
    const port = runCli(['serve', '--config', file]);
    assert.equal(port.code, 1);
    assert.equal(port.stderr.trim(), `promptforge serve: ${file}:4:9: listen.port: must be an integer from 0 to 65535 (got "seventy")`);

    writeFileSync(file, `repos:\n  demo: ${repo}\nlisen:\n  port: 1\n`);
    const unknown = runCli(['serve', '--config', file]);
    assert.match(unknown.stderr, new RegExp(`${file}:3:1: lisen: unknown setting`));

    writeFileSync(file, `repos:\n  demo: ${repo}\nkeys:\n  - name: ci\n    role: boss\n    hash: sha256:00\n`);
    const role = runCli(['serve', '--config', file]);
    assert.match(role.stderr, new RegExp(`${file}:5:11: keys\\[0\\]\\.role: must be one of read, write, approve, admin`));

    const env = runCli(['serve', '--repo', `demo=${repo}`], { env: { PROMPTFORGE_PORT: 'x' } });
    assert.match(env.stderr, /PROMPTFORGE_PORT: must be an integer/);

    const missing = runCli(['serve', '--repo', `demo=${join(tmp.dir, 'nowhere')}`, '--port', '0']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /repo "demo" \(.*nowhere\): .*not a git repository/);
  });

  it('takes the port and repos from PROMPTFORGE_* variables', async () => {
    let forge: ForgeProcess | undefined;
    try {
      forge = await startForge([], { env: { PROMPTFORGE_REPOS: `demo=${repo}`, PROMPTFORGE_HOST: '127.0.0.1' } });
      const res = await fetch(`${forge.url}/api/v1/repos`);
      assert.equal(((await res.json()) as any).repos[0].name, 'demo');
    } finally {
      assert.equal(await forge?.stop(), 0, 'a clean exit on SIGTERM');
    }
  });
});

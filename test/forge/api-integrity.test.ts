/**
 * The forge API keeps versions meaningful and prompts renderable: labels that would
 * shadow a release or a branch are refused, labels can be deleted, writes that break a
 * prompt are refused with the problem, a partial's change is a new version of its
 * includers, and a stuck ref lock or an oversized message gets a clear answer.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openEvents } from './apiEvents';
import { makeDemo, startForge, tempDir, type ForgeProcess } from './apiServer';

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
const resolveUri = (uri: string) => `/api/v1/resolve?uri=${encodeURIComponent(uri)}`;

describe('forge API: labels, integrity and history through includes', function () {
  let tmp: ReturnType<typeof tempDir>;
  let repo: string;
  let forge: ForgeProcess;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(forge.url + path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const head = async (id: string) => (await call('GET', `/api/v1/repos/demo/prompts/${id}/versions`)).body.versions[0].sha as string;
  const source = (sha: string, id: string) => git(repo, 'show', `${sha}:${id}.prompt`) + '\n';

  before(async () => {
    tmp = tempDir();
    repo = join(tmp.dir, 'writable');
    cpSync(makeDemo(tmp.dir), repo, { recursive: true });
    forge = await startForge(['--repo', `demo=${repo}`, '--body-limit', '1mb']);
  });
  after(async () => {
    await forge?.stop();
    tmp?.cleanup();
  });

  it('refuses a label that shadows a release or a branch with 422 invalid_label', async () => {
    const release = git(repo, 'rev-parse', 'welcome@1.0.0^{commit}');
    for (const label of ['v1.0.0', 'main', 'latest', 'HEAD']) {
      const answer = await call('PUT', `/api/v1/repos/demo/prompts/welcome/labels/${label}`, { version: 'HEAD' });
      assert.equal(answer.status, 422, label);
      assert.equal(answer.body.error.code, 'invalid_label', label);
    }
    assert.equal((await call('GET', resolveUri('prompt://localhost/demo/welcome/v1.0.0?app_name=A'))).body.sha, release);
  });

  it('deletes a label by compare-and-swap (409 when stale), keeps it in the history and announces it', async () => {
    const events = await openEvents(forge.url);
    try {
      const staging = git(repo, 'rev-parse', 'refs/labels/welcome/staging');
      const path = '/api/v1/repos/demo/prompts/welcome/labels/staging';
      const stale = await call('DELETE', path, { expected: git(repo, 'rev-parse', 'welcome@1.0.0^{commit}') });
      assert.equal(stale.status, 409);
      assert.equal(stale.body.error.code, 'label_conflict');
      const missing = await call('DELETE', path, {});
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error.code, 'missing_field');
      const deleted = await call('DELETE', path, { expected: staging });
      assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
      assert.deepEqual([deleted.body.from, deleted.body.to, deleted.body.by], [staging, null, 'local']);
      assert.equal(git(repo, 'for-each-ref', 'refs/labels/welcome/staging'), '');
      const event = await events.next((e) => e.event === 'label' && e.data.label === 'staging' && e.data.to === null);
      assert.deepEqual(event.data, { repo: 'demo', id: 'welcome', label: 'staging', from: staging, to: null });
      const history = (await call('GET', `${path}/history`)).body.history;
      assert.deepEqual([history[0].from, history[0].to], [staging, null]);
      assert.equal((await call('DELETE', path, { expected: staging })).body.error.code, 'label_not_found');
      assert.equal((await call('GET', resolveUri('prompt://localhost/demo/welcome/staging?app_name=A'))).status, 404);
    } finally {
      events.close();
    }
  });

  it('refuses a prompt that includes itself with 422 partial_cycle and its position, committing nothing', async () => {
    const before = git(repo, 'rev-parse', 'main');
    const answer = await call('PUT', '/api/v1/repos/demo/prompts/selfy', { content: '---\ndescription: s\n---\nS {{> selfy}}\n' });
    assert.equal(answer.status, 422);
    assert.equal(answer.body.error.code, 'partial_cycle');
    assert.match(answer.body.error.message, /^selfy\.prompt:4:3: /);
    assert.deepEqual(answer.body.error.problems[0].start, { line: 3, character: 2 });
    const unknown = await call('PUT', '/api/v1/repos/demo/prompts/u', { content: '---\ndescription: u\n---\n{{> nope}}\n' });
    assert.equal(unknown.body.error.code, 'unknown_partial');
    const undeclared = await call('PUT', '/api/v1/repos/demo/prompts/p', { content: '---\ndescription: p\n---\nHi {{who}}\n' });
    assert.equal(undeclared.body.error.code, 'undeclared_param');
    assert.equal(git(repo, 'rev-parse', 'main'), before);
  });

  it('lists the problems of a prompt broken with plain git', async () => {
    const env = { ...process.env, GIT_INDEX_FILE: join(tmp.dir, 'index'), GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@x' };
    const run = (args: string[], input?: string) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', env, input }).trim();
    const blob = run(['hash-object', '-w', '--stdin'], '---\ndescription: loop\n---\nL {{> loop}}\n');
    run(['read-tree', 'main']);
    run(['update-index', '--add', '--cacheinfo', `100644,${blob},loop.prompt`]);
    const commit = run(['commit-tree', run(['write-tree']), '-p', 'main', '-m', 'loop with plain git']);
    const events = await openEvents(forge.url);
    try {
      run(['update-ref', 'refs/heads/main', commit]);
      await events.next((e) => e.event === 'version' && e.data.id === 'loop');
    } finally {
      events.close();
      rmSync(join(tmp.dir, 'index'));
    }
    const loop = (await call('GET', '/api/v1/repos/demo/prompts')).body.prompts.find((p: any) => p.id === 'loop');
    assert.deepEqual(loop.problems.map((p: any) => p.code), ['partial_cycle']);
    const welcome = (await call('GET', '/api/v1/repos/demo/prompts')).body.prompts.find((p: any) => p.id === 'welcome');
    assert.equal(welcome.problems, undefined);
  });

  it('makes a change to the signature partial a new version of welcome: welcome/HEAD renders it', async () => {
    const sig = await head('signature');
    const edited = source(sig, 'signature').replace(/— The \{\{app_name\}\} team/, '— Everyone at {{app_name}}');
    const put = await call('PUT', '/api/v1/repos/demo/prompts/signature', { content: edited, base: sig, message: 'Signature: everyone' });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(await head('welcome'), put.body.sha);
    const resolved = (await call('GET', resolveUri('prompt://localhost/demo/welcome/HEAD?app_name=Acme'))).body;
    assert.equal(resolved.sha, put.body.sha);
    assert.match(resolved.text, /Everyone at Acme/);
  });

  it('answers a leftover ref lock at once with 409 ref_locked naming the file', async () => {
    const production = git(repo, 'rev-parse', 'refs/labels/welcome/production');
    const lock = join(repo, '.git', 'refs', 'labels', 'welcome', 'production.lock');
    writeFileSync(lock, '');
    try {
      const answer = await call('PUT', '/api/v1/repos/demo/prompts/welcome/labels/production', { version: '1.0.0', expected: production });
      assert.equal(answer.status, 409);
      assert.equal(answer.body.error.code, 'ref_locked');
      assert.ok(answer.body.error.message.includes(lock), answer.body.error.message);
      assert.match(answer.body.error.message, /If no git process is running in this repository, delete/);
    } finally {
      rmSync(lock);
    }
  });

  it('refuses a commit message over the limit with 400 invalid_message stating the limit', async () => {
    const id = 'classify-intent';
    const sha = await head(id);
    const answer = await call('PUT', `/api/v1/repos/demo/prompts/${id}`, { content: source(sha, id) + 'x\n', base: sha, message: 'm'.repeat(70_000) });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error.code, 'invalid_message');
    assert.match(answer.body.error.message, /the limit is 65536 characters/);
  });
});

/** Protected labels and promotion requests on a real forge with keys: gates, approvals, apply by CAS, a broken policy. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openEvents } from './apiEvents';
import { runCli, startForge, tempDir, type ForgeProcess } from './apiServer';

const POLICY = `labels:
  production:
    protected: true
    requires: { tests: pass, approvals: 1, approvers: [bob, "role:admin"] }
  "stag*":
    protected: true
`;

describe('protected labels and promotion requests', function () {
  const tmp = tempDir('pf-gov-');
  const repo = join(tmp.dir, 'p');
  const keys: Record<string, string> = {};
  let forge: ForgeProcess;
  let v1: string;
  let v2: string;
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
  const commit = (files: Record<string, string>, message: string) => {
    for (const [name, text] of Object.entries(files)) {
      execFileSync('mkdir', ['-p', join(repo, name, '..')]);
      writeFileSync(join(repo, name), text);
    }
    git('add', '-A');
    git('commit', '-qm', message);
    return git('rev-parse', 'HEAD');
  };
  const call = async (key: string, method: string, path: string, body: unknown = method === 'GET' ? undefined : {}) => {
    const res = await fetch(forge.url + path, {
      method,
      headers: { authorization: `Bearer ${keys[key]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const requests = '/api/v1/repos/p/prompts/greet/labels/production/requests';
  const production = () => git('rev-parse', 'refs/labels/greet/production');

  before(async () => {
    execFileSync('git', ['init', '-q', '-b', 'main', repo]);
    git('config', 'user.name', 'Test');
    git('config', 'user.email', 'test@example.com');
    v1 = commit({ 'greet.prompt': 'Hello warmly.\n', 'greet.test.yaml': 'tests:\n  - assert: [{ type: contains, value: warmly, target: render }]\n' }, 'v1');
    git('update-ref', 'refs/labels/greet/production', v1);
    v2 = commit({ 'greet.prompt': 'Hello warmly, friend.\n', '.promptforge/policy.yaml': POLICY }, 'v2');
    const config = join(tmp.dir, 'forge.yaml');
    writeFileSync(config, 'repos:\n  p: ./p\n');
    for (const [name, role] of [['alice', 'write'], ['bob', 'approve'], ['carol', 'approve'], ['root', 'admin']]) {
      const out = runCli(['keys', 'add', name, '--role', role, '--config', config]);
      assert.equal(out.code, 0, out.stderr);
      keys[name] = out.stdout.trim();
    }
    forge = await startForge(['--config', config]);
  });
  after(async () => {
    await forge?.stop();
    tmp.cleanup();
  });

  it('refuses a direct move of a protected label, naming each unmet requirement, even for an admin key', async () => {
    const direct = await call('root', 'PUT', '/api/v1/repos/p/prompts/greet/labels/production', { version: v2 });
    assert.equal(direct.status, 409);
    assert.equal(direct.body.error.code, 'gate_failed');
    assert.deepEqual(direct.body.error.unmet, [
      'tests: the suite has not run on this version (POST …/tests/run)',
      'approvals: 1 more needed (0 of 1); create a promotion request',
    ]);
    assert.equal(production(), v1, 'the label did not move');
  });

  it('moves the label through a request: tests pass, an allowed approver approves, apply is one CAS move', async () => {
    const events = await openEvents(forge.url, { authorization: `Bearer ${keys.alice}` });
    try {
      assert.equal((await call('alice', 'POST', '/api/v1/repos/p/prompts/greet/tests/run', { version: v2 })).status, 201);
      const created = await call('alice', 'POST', requests, { version: v2, note: 'friendlier' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const rid = created.body.rid;
      assert.equal(created.body.expected, v1);
      await events.next((e) => e.event === 'request.created' && e.data.rid === rid);

      const early = await call('alice', 'POST', `${requests}/${rid}/apply`);
      assert.equal(early.status, 409);
      assert.deepEqual(early.body.error.unmet, ['approvals: 1 more needed (0 of 1)']);
      const self = await call('alice', 'POST', `${requests}/${rid}/approve`);
      assert.equal(self.status, 403, 'alice has no approve role');
      const outsider = await call('carol', 'POST', `${requests}/${rid}/approve`);
      assert.equal(outsider.status, 403);
      assert.equal(outsider.body.error.code, 'approval_refused');
      assert.match(outsider.body.error.message, /not among the approvers of this label \(bob, role:admin\)/);
      const approved = await call('bob', 'POST', `${requests}/${rid}/approve`, { note: 'ok' });
      assert.equal(approved.status, 200);
      assert.deepEqual(approved.body.approvals.map((a: { by: string }) => a.by), ['bob']);

      const applied = await call('alice', 'POST', `${requests}/${rid}/apply`);
      assert.equal(applied.status, 200, JSON.stringify(applied.body));
      assert.equal(applied.body.status, 'applied');
      assert.equal(production(), v2);
      await events.next((e) => e.event === 'request.applied' && e.data.rid === rid);
      const history = await call('alice', 'GET', '/api/v1/repos/p/prompts/greet/labels/production/history');
      assert.equal(history.body.history.at(-1).by, 'alice');
      const listed = await call('alice', 'GET', requests);
      assert.deepEqual(listed.body.requests.map((r: any) => [r.rid, r.status, r.requested.by]), [[rid, 'applied', 'alice']]);
    } finally {
      events.close();
    }
  });

  it('refuses to apply a request whose label moved since it was made, and a request that was rejected', async () => {
    const make = async () => (await call('alice', 'POST', requests, { version: v1 })).body.rid as string;
    const first = await make();
    const second = await make();
    assert.equal((await call('alice', 'POST', '/api/v1/repos/p/prompts/greet/tests/run', { version: v1 })).status, 201);
    for (const rid of [first, second]) assert.equal((await call('root', 'POST', `${requests}/${rid}/approve`)).status, 200);
    assert.equal((await call('alice', 'POST', `${requests}/${first}/apply`)).status, 200);
    const stale = await call('alice', 'POST', `${requests}/${second}/apply`);
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'label_conflict');
    const own = (await call('bob', 'POST', requests, { version: v1 })).body.rid;
    const selfApproval = await call('bob', 'POST', `${requests}/${own}/approve`);
    assert.equal(selfApproval.status, 403);
    assert.equal(selfApproval.body.error.code, 'approval_refused');
    assert.match(selfApproval.body.error.message, /cannot be approved by the key that made it/);
    const third = await make();
    assert.equal((await call('bob', 'POST', `${requests}/${third}/reject`, { note: 'not now' })).body.status, 'rejected');
    const closed = await call('alice', 'POST', `${requests}/${third}/apply`);
    assert.equal(closed.status, 409);
    assert.equal(closed.body.error.code, 'request_closed');
  });

  it('the CLI creates, lists, approves and applies a request, and a local promote obeys the policy too', async () => {
    const cli = (key: string, ...args: string[]) => runCli(['request', ...args, '--url', forge.url, '--repo', 'p', '--key', keys[key]]);
    const created = cli('alice', 'create', 'greet', 'production', v2, '--note', 'back to v2');
    assert.equal(created.code, 0, created.stderr);
    const rid = /^(r[0-9a-f]{8})\s+open/.exec(created.stdout)?.[1];
    assert.ok(rid, created.stdout);
    assert.match(cli('alice', 'list', 'greet', 'production').stdout, new RegExp(`${rid}\\s+open\\s+greet/production → ${v2.slice(0, 12)} \\(${v2}\\)\\s+by alice`));
    const refused = cli('carol', 'approve', 'greet', 'production', rid!);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /not among the approvers.*\(approval_refused\)/);
    assert.equal(cli('bob', 'approve', 'greet', 'production', rid!).code, 0);
    const applied = cli('alice', 'apply', 'greet', 'production', rid!);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /applied\s+greet\/production/);
    assert.equal(production(), v2);
    const local = runCli(['promote', 'greet', 'production', v1, '--repo', `p=${repo}`]);
    assert.equal(local.code, 1);
    assert.match(local.stderr, /"production" is protected; moving it to \w+ needs: .*approvals: 1 more needed/);
    assert.equal(production(), v2);
  });

  it('a protected label without requirements moves only for the approve role; a policy that does not parse stops every move', async () => {
    const byWriter = await call('alice', 'PUT', '/api/v1/repos/p/prompts/greet/labels/staging', { version: v1 });
    assert.equal(byWriter.status, 409);
    assert.match(byWriter.body.error.unmet[0], /needs the approve role; key "alice" has write/);
    assert.equal((await call('bob', 'PUT', '/api/v1/repos/p/prompts/greet/labels/staging', { version: v1 })).status, 200);

    commit({ '.promptforge/policy.yaml': 'labels:\n  production: { protected: maybe }\n' }, 'broken policy');
    const broken = await call('root', 'PUT', '/api/v1/repos/p/prompts/greet/labels/canary', { version: v1 });
    assert.equal(broken.status, 409);
    assert.equal(broken.body.error.code, 'gate_failed');
    assert.match(broken.body.error.message, /policy\.yaml does not parse.*`protected` must be true or false/);
  });
});

/**
 * The forge HTTP API against a real server process serving the demo repository:
 * every route, every version form, caching headers, errors, writes and events.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { openEvents } from './apiEvents';
import { makeDemo, startForge, tempDir, type ForgeProcess } from './apiServer';

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

function client(base: () => string) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(base() + path, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  };
}

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
const resolveUri = (uri: string) => `/api/v1/resolve?uri=${encodeURIComponent(uri)}`;

describe('forge API: reads', function () {
  let tmp: ReturnType<typeof tempDir>;
  let repo: string;
  let forge: ForgeProcess;
  const call = client(() => forge.url);

  before(async () => {
    tmp = tempDir();
    repo = makeDemo(tmp.dir);
    forge = await startForge(['--repo', `demo=${repo}`]);
  });
  after(async () => {
    await forge?.stop();
    tmp?.cleanup();
  });

  it('answers liveness and lists repos with prompt counts', async () => {
    assert.deepEqual((await call('GET', '/healthz')).body, { ok: true, repos: 1 });
    const { body } = await call('GET', '/api/v1/repos');
    assert.equal(body.repos.length, 1);
    assert.equal(body.repos[0].name, 'demo');
    assert.equal(body.repos[0].prompts, 6);
  });

  it('lists prompts with params, labels, status and latest version', async () => {
    const { body } = await call('GET', '/api/v1/repos/demo/prompts');
    const byId = Object.fromEntries(body.prompts.map((p: any) => [p.id, p]));
    assert.deepEqual(Object.keys(byId).sort(), ['classify-intent', 'legacy-greeting', 'signature', 'summarize-ticket', 'support-chat', 'welcome']);
    assert.equal(byId['legacy-greeting'].status, 'deprecated');
    assert.equal(byId['support-chat'].type, 'chat');
    assert.deepEqual(byId.welcome.params.tier.enum, ['free', 'premium']);
    assert.equal(byId.welcome.params.app_name.required, true);
    assert.notEqual(byId.welcome.labels.production, byId.welcome.labels.staging);
    assert.equal(byId.welcome.latest.sha, git(repo, 'log', '-1', '--format=%H', 'main', '--', 'welcome.prompt'));
  });

  it('gives a prompt history newest first with releases, labels and authors', async () => {
    const { body } = await call('GET', '/api/v1/repos/demo/prompts/welcome/versions');
    assert.deepEqual(
      body.versions.map((v: any) => [v.release, v.labels]),
      [
        ['2.0.0-beta.1', ['staging']],
        [null, []], // the signature it includes changed: a version of welcome too
        ['1.1.0', ['production']],
        ['1.0.0', []],
      ],
    );
    assert.equal(body.versions[1].message, 'Signature: warmer sign-off');
    assert.equal(body.versions[3].author, 'Ada Park');
    assert.equal(body.versions[3].message, 'Add the welcome prompt');
    const branch = await call('GET', '/api/v1/repos/demo/prompts/welcome/versions?branch=experiment/short-welcome');
    assert.equal(branch.body.versions.length, 5, 'the branch forked after the signature change');
  });

  it('resolves every version form to the version it names', async () => {
    const shas = (await call('GET', '/api/v1/repos/demo/prompts/welcome/versions')).body.versions.map((v: any) => v.sha);
    const [v3, signed, v2, v1] = shas;
    const branchTip = git(repo, 'rev-parse', 'experiment/short-welcome');
    const forms: [string, string, string][] = [
      ['', v3, 'head'],
      ['/HEAD', v3, 'head'],
      ['/production', v2, 'label'],
      ['/staging', v3, 'label'],
      ['/1.0.0', v1, 'release'],
      ['/v1.1.0', v2, 'release'],
      ['/main', v3, 'branch'],
      ['/experiment/short-welcome', branchTip, 'branch'],
      ['/experiment/short-welcome/HEAD', branchTip, 'branch-head'],
      [`/${v1}`, v1, 'sha'],
      [`/${v2.slice(0, 10)}`, v2, 'sha'],
      ['/production~1', v1, 'label'],
      ['/HEAD~1', signed, 'head'],
      ['/HEAD~3', v1, 'head'],
      ['/%5E1.0', v2, 'range'],
      ['/~1.0.0', v1, 'range'],
      ['/1.x', v2, 'range'],
      ['/%3E%3D1.0.0%20%3C1.1.0', v1, 'range'],
      ['/latest', v2, 'latest'],
      ['/beta', v3, 'channel'],
    ];
    for (const [version, sha, kind] of forms) {
      const { status, body } = await call('GET', resolveUri(`prompt://localhost:7070/demo/welcome${version}?app_name=Acme`));
      assert.equal(status, 200, `${version}: ${JSON.stringify(body)}`);
      assert.equal(body.sha, sha, `version "${version}"`);
      assert.equal(body.kind, kind, `kind of "${version}"`);
      assert.equal(body.canonical, `prompt://localhost:7070/demo/welcome/${sha}?app_name=Acme`);
    }
  });

  it('answers the DESIGN resolve shape with the rendered text and partials', async () => {
    const { body } = await call('GET', resolveUri('prompt://forge.example:7070/demo/welcome/production?app_name=Acme&tier=premium'));
    assert.equal(body.uri, 'prompt://forge.example:7070/demo/welcome/production?app_name=Acme&tier=premium');
    assert.equal(body.repo, 'demo');
    assert.equal(body.id, 'welcome');
    assert.equal(body.release, '1.1.0');
    assert.deepEqual(body.labels, ['production']);
    assert.match(body.template, /Welcome to \{\{app_name\}\}/);
    assert.equal(body.params.app_name.required, true);
    assert.match(body.text, /Welcome to Acme/);
    assert.match(body.text, /premium plan/);
    assert.match(body.text, /The Acme team/, 'the signature partial is included');
    assert.equal(body.messages, null);
    assert.equal(body.partials.signature.template, '— The {{app_name}} team\n', 'the partial as of the same commit, not the newer one');
    assert.equal(body.partials.signature.params.app_name.type, 'string', "the partial's own params travel with it");
    assert.equal(body.commit.author, 'Ada Park');
  });

  it('renders chat prompts to messages, with params in the body', async () => {
    const { status, body } = await call('POST', '/api/v1/render', {
      uri: 'prompt://localhost:7070/demo/support-chat/production',
      params: { customer_name: 'Jo', product: 'Acme', question: 'Where is my invoice?' },
    });
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.type, 'chat');
    assert.deepEqual(
      body.messages.map((m: any) => m.role),
      ['system', 'user'],
    );
    assert.match(body.messages[1].content, /Jo asks: Where is my invoice\?/);
  });

  it('marks sha-pinned resolves immutable and answers 304 to a matching If-None-Match', async () => {
    const sha = (await call('GET', '/api/v1/repos/demo/prompts/welcome/versions')).body.versions[1].sha;
    const pinned = await call('GET', resolveUri(`prompt://localhost:7070/demo/welcome/${sha}?app_name=Acme`));
    assert.equal(pinned.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const etag = pinned.headers.get('etag')!;
    assert.ok(etag);
    const again = await call('GET', resolveUri(`prompt://localhost:7070/demo/welcome/${sha}?app_name=Acme`), undefined, { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body, '');
    const movable = await call('GET', resolveUri('prompt://localhost:7070/demo/welcome/production?app_name=Acme'));
    assert.equal(movable.headers.get('cache-control'), 'no-cache');
    assert.ok(movable.headers.get('etag'));
    const other = await call('GET', resolveUri('prompt://localhost:7070/demo/welcome/production?app_name=Other'), undefined, { 'if-none-match': movable.headers.get('etag')! });
    assert.equal(other.status, 200, 'different params, different answer');
  });

  it('diffs two versions', async () => {
    const { body } = await call('GET', '/api/v1/repos/demo/prompts/welcome/diff?from=1.0.0&to=production');
    assert.match(body.diff, /^-Welcome to \{\{app_name\}\}! You are on/m);
    assert.match(body.diff, /^\+Welcome to \{\{app_name\}\}, \{\{user_name\}\}!/m);
    assert.equal(body.from, '1.0.0');
    assert.equal(body.toSha.length, 40);
  });

  it('keeps the promotion history of a label', async () => {
    const { body } = await call('GET', '/api/v1/repos/demo/prompts/welcome/labels/production/history');
    assert.equal(body.history.length, 2);
    assert.equal(body.history[0].by, 'release-bot');
    assert.equal(body.history[1].from, null);
    assert.equal(body.history[0].from, body.history[1].to);
  });

  it('answers errors with stable codes and clear messages', async () => {
    const cases: [string, string, number, string, RegExp?][] = [
      ['GET', '/api/v1/repos/nope/prompts', 404, 'repo_not_found', /"nope"/],
      ['GET', '/api/v1/repos/demo/prompts/nope/versions', 404, 'prompt_not_found', /"nope"/],
      ['GET', resolveUri('prompt://localhost/demo/welcome/9.9.9'), 404, 'version_not_found', /9\.9\.9/],
      ['GET', resolveUri('http://localhost/demo/welcome'), 400, 'invalid_uri'],
      ['GET', '/api/v1/resolve', 400, 'missing_query'],
      ['GET', resolveUri('prompt://localhost/demo/welcome?a=1&a=2'), 400, 'invalid_uri', /more than once/],
      ['GET', '/api/v1/nothing', 404, 'route_not_found'],
      ['DELETE', '/api/v1/repos', 405, 'method_not_allowed', /GET/],
      ['GET', '/api/v1/repos/demo/prompts/welcome/diff', 400, 'missing_query'],
      ['GET', '/api/v1/repos/demo/prompts/welcome/versions?branch=a&branch=b', 400, 'invalid_query'],
    ];
    for (const [method, path, status, code, message] of cases) {
      const { status: got, body } = await call(method, path);
      assert.equal(got, status, `${method} ${path}: ${JSON.stringify(body)}`);
      assert.equal(body.error.code, code, `${method} ${path}`);
      assert.equal(typeof body.error.message, 'string');
      if (message) assert.match(body.error.message, message);
      assert.doesNotMatch(JSON.stringify(body), /at \w+ \(|node:internal/, 'no stack traces');
    }
  });

  it('names the parameter that is missing, unknown or of the wrong value', async () => {
    const cases: [string, string, RegExp][] = [
      ['', 'missing_param', /app_name/],
      ['?app_name=Acme&colour=red', 'unknown_param', /colour/],
      ['?app_name=Acme&tier=gold', 'invalid_param_value', /tier/],
    ];
    for (const [query, code, message] of cases) {
      const { status, body } = await call('GET', resolveUri(`prompt://localhost/demo/welcome/production${query}`));
      assert.equal(status, 400, `${query}: ${JSON.stringify(body)}`);
      assert.equal(body.error.code, code);
      assert.match(body.error.message, message);
      assert.equal(body.error.problems[0].param, message.source);
    }
    const typed = await call('POST', '/api/v1/render', { uri: 'prompt://localhost/demo/summarize-ticket', params: { ticket_text: 'x', max_words: 'many' } });
    assert.equal(typed.status, 400);
    assert.equal(typed.body.error.code, 'invalid_param_value');
    assert.match(typed.body.error.message, /max_words/);
  });

  it('refuses hostile names in every position before git sees them', async () => {
    const hostile = ['-x', '--upload-pack=touch%20pwned', '..', 'a..b', '@%7B1%7D', 'refs%2Fheads%2Fmain', 'a%00b', '%2e%2e'];
    for (const name of hostile) {
      // A client resolves `..` (and `%2e%2e`) before sending: `prompts/../versions` arrives as the
      // repo's own `/versions` route, so a dot segment is tried where it cannot climb into one.
      const dots = name === '..' || name === '%2e%2e';
      const paths = [`/api/v1/repos/demo/prompts/welcome/labels/${name}/history`, `/api/v1/repos/${name}/prompts`, ...(dots ? [] : [`/api/v1/repos/demo/prompts/${name}/versions`])];
      for (const path of paths) {
        const { status, body } = await call('GET', path);
        assert.ok(status >= 400 && status < 500, `${path} → ${status}`);
        assert.ok(body.error?.message, path);
      }
      const version = await call('GET', resolveUri(`prompt://localhost/demo/welcome/${name}`));
      assert.ok(version.status >= 400 && version.status < 500, `version ${name} → ${version.status}`);
      const diff = await call('GET', `/api/v1/repos/demo/prompts/welcome/diff?from=${name}&to=HEAD`);
      assert.ok(diff.status >= 400 && diff.status < 500, `diff from ${name} → ${diff.status}`);
    }
    const bad = await call('GET', resolveUri('prompt://localhost/demo/welcome/--output=/tmp/x'));
    assert.equal(bad.body.error.code, 'invalid_uri');
    assert.match(bad.body.error.message, /column 33: invalid version "--output=\/tmp\/x": must not start with "-"/);
  });

  it('reports a bad percent-encoding in the path as 400', async () => {
    const { status, body } = await call('GET', '/api/v1/repos/%E0%A4%A/prompts');
    assert.equal(status, 400);
    assert.equal(body.error.code, 'invalid_path');
  });
});

describe('forge API: writes and events', function () {
  let tmp: ReturnType<typeof tempDir>;
  let repo: string;
  let forge: ForgeProcess;
  const call = client(() => forge.url);
  const versions = async (id = 'welcome') => (await call('GET', `/api/v1/repos/demo/prompts/${id}/versions`)).body.versions as any[];
  /** Released versions, newest first (welcome: 2.0.0-beta.1, 1.1.0, 1.0.0). */
  const releases = async (id = 'welcome') => (await versions(id)).filter((v) => v.release);

  before(async () => {
    tmp = tempDir();
    const demo = makeDemo(tmp.dir);
    repo = join(tmp.dir, 'writable');
    cpSync(demo, repo, { recursive: true });
    forge = await startForge(['--repo', `demo=${repo}`, '--body-limit', '64kb']);
  });
  after(async () => {
    await forge?.stop();
    tmp?.cleanup();
  });

  it('promotes with compare-and-swap: 200, then 409 for a stale expected', async () => {
    const [v3, v2] = await releases();
    const ok = await call('PUT', '/api/v1/repos/demo/prompts/welcome/labels/production', { version: 'HEAD', expected: v2.sha });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.from, v2.sha);
    assert.equal(ok.body.to, v3.sha);
    assert.equal(ok.body.by, 'local');
    assert.equal(git(repo, 'rev-parse', 'refs/labels/welcome/production'), v3.sha);
    const stale = await call('PUT', '/api/v1/repos/demo/prompts/welcome/labels/production', { version: '1.0.0', expected: v2.sha });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'label_conflict');
    assert.equal(stale.body.error.current, v3.sha);
    assert.equal(git(repo, 'rev-parse', 'refs/labels/welcome/production'), v3.sha, 'the stale write changed nothing');
    const history = (await call('GET', '/api/v1/repos/demo/prompts/welcome/labels/production/history')).body.history;
    assert.equal(history[0].to, v3.sha);
  });

  it('lets exactly one of two concurrent promotes with the same expected win', async () => {
    const current = git(repo, 'rev-parse', 'refs/labels/support-chat/production');
    const [a, b] = await Promise.all([
      call('PUT', '/api/v1/repos/demo/prompts/support-chat/labels/production', { version: 'HEAD', expected: current }),
      call('PUT', '/api/v1/repos/demo/prompts/support-chat/labels/production', { version: 'HEAD~1', expected: current }),
    ]);
    assert.deepEqual([a.status, b.status].sort(), [200, 409]);
    const winner = a.status === 200 ? a : b;
    assert.equal(git(repo, 'rev-parse', 'refs/labels/support-chat/production'), winner.body.to);
    const history = (await call('GET', '/api/v1/repos/demo/prompts/support-chat/labels/production/history')).body.history;
    assert.equal(history[0].to, winner.body.to);
    assert.equal(history[0].from, current, 'no lost update: the winner replaced what both expected');
    git(repo, 'fsck', '--strict', '--no-progress');
  });

  it('tags releases (201) and refuses to move one (409)', async () => {
    const made = await call('POST', '/api/v1/repos/demo/prompts/summarize-ticket/releases', { version: '1.0.0', ref: 'HEAD', notes: 'first' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.body.version, '1.0.0');
    assert.equal(git(repo, 'rev-parse', 'summarize-ticket@1.0.0^{commit}'), made.body.sha);
    const again = await call('POST', '/api/v1/repos/demo/prompts/summarize-ticket/releases', { version: '1.0.0' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'release_exists');
    const invalid = await call('POST', '/api/v1/repos/demo/prompts/summarize-ticket/releases', { version: 'one' });
    assert.equal(invalid.status, 400);
  });

  it('commits a new version; 409 when the base is stale, 422 with positions when invalid', async () => {
    const [head] = await versions('classify-intent');
    const content = (await call('GET', resolveUri('prompt://localhost/demo/classify-intent?message=x'))).body.template;
    const source = git(repo, 'show', `${head.sha}:classify-intent.prompt`);
    const next = source.replace('exactly one of', 'one of') + '\n';
    const ok = await call('PUT', '/api/v1/repos/demo/prompts/classify-intent', { content: next, base: head.sha, message: 'Shorter instruction' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(git(repo, 'log', '-1', '--format=%an|%s', 'main'), 'local|Shorter instruction');
    assert.equal(git(repo, 'show', 'main:classify-intent.prompt') + '\n', next);
    assert.ok(content);

    const stale = await call('PUT', '/api/v1/repos/demo/prompts/classify-intent', { content: next + 'more\n', base: head.sha, message: 'late edit' });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'branch_conflict');

    const broken = await call('PUT', '/api/v1/repos/demo/prompts/classify-intent', { content: '---\nparams: [unclosed\n---\nbody\n', base: ok.body.sha, message: 'broken' });
    assert.equal(broken.status, 422, JSON.stringify(broken.body));
    assert.equal(broken.body.error.code, 'invalid_prompt');
    assert.ok(broken.body.error.problems.length > 0);
    assert.equal(typeof broken.body.error.problems[0].start.line, 'number');
    assert.equal(git(repo, 'rev-parse', 'main'), ok.body.sha, 'nothing was committed');

    const branch = await call('PUT', '/api/v1/repos/demo/prompts/classify-intent', { content: next + 'draft\n', base: ok.body.sha, message: 'draft', branch: 'review/classify-intent' });
    assert.equal(branch.status, 200, JSON.stringify(branch.body));
    assert.equal(git(repo, 'rev-parse', 'review/classify-intent'), branch.body.sha);
    assert.equal(git(repo, 'rev-parse', 'main'), ok.body.sha, 'the default branch did not move');
  });

  it('names the candidates when a branch is named like a commit sha', async () => {
    const [, v2] = await versions();
    const prefix = v2.sha.slice(0, 8);
    git(repo, 'branch', prefix, 'experiment/short-welcome');
    const branchTip = git(repo, 'rev-parse', 'experiment/short-welcome');
    const uri = resolveUri(`prompt://localhost/demo/welcome/${prefix}?app_name=Acme`);
    const answer = await (async () => {
      // The forge notices the new branch on its own; until then the prefix is just a sha.
      for (const deadline = Date.now() + 5000; Date.now() < deadline; ) {
        const res = await call('GET', uri);
        if (res.status !== 200) return res;
        await new Promise((resolve) => setImmediate(resolve));
      }
      throw new Error('the forge never saw the new branch');
    })();
    assert.equal(answer.status, 400, JSON.stringify(answer.body));
    assert.equal(answer.body.error.code, 'ambiguous_version');
    assert.deepEqual(answer.body.error.candidates, [`${prefix}/HEAD`, v2.sha]);
    assert.equal((await call('GET', resolveUri(`prompt://localhost/demo/welcome/${v2.sha}?app_name=Acme`))).body.sha, v2.sha, 'the full sha stays unambiguous');
    assert.equal((await call('GET', resolveUri(`prompt://localhost/demo/welcome/${prefix}/HEAD?app_name=Acme`))).body.sha, branchTip);
    git(repo, 'branch', '-D', prefix);
  });

  it('rejects bad bodies: invalid JSON, wrong content type, missing fields, oversize', async () => {
    const path = '/api/v1/repos/demo/prompts/welcome/labels/production';
    const invalid = await call('PUT', path, '{"version": ');
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.error.code, 'invalid_json');
    const array = await call('PUT', path, '[1]');
    assert.equal(array.body.error.code, 'invalid_json');
    const text = await call('PUT', path, 'version=HEAD', { 'content-type': 'text/plain' });
    assert.equal(text.status, 415);
    assert.equal(text.body.error.code, 'unsupported_media_type');
    const missing = await call('PUT', path, {});
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'missing_field');
    assert.match(missing.body.error.message, /"version"/);
    const typed = await call('PUT', path, { version: 3 });
    assert.equal(typed.body.error.code, 'invalid_field');
    assert.match(typed.body.error.message, /"version" must be string, not 3/);
    const typo = await call('PUT', path, { version: 'HEAD', expectd: null });
    assert.deepEqual([typo.status, typo.body.error.code], [400, 'unknown_field']);
    assert.match(typo.body.error.message, /"expectd"/, 'a typo in expected must not turn the CAS into a blind write');
    for (const [route, body, field] of [
      ['/api/v1/repos/demo/prompts/welcome/releases', { version: '9.9.9', note: 'x' }, 'note'],
      ['/api/v1/render', { uri: 'prompt://localhost/demo/welcome/HEAD', param: {} }, 'param'],
      ['/api/v1/usage', { events: [], extra: 1 }, 'extra'],
    ] as const) {
      const refused = await call(route.endsWith('releases') || route.endsWith('render') || route.endsWith('usage') ? 'POST' : 'PUT', route, body);
      assert.deepEqual([refused.status, refused.body.error.code], [400, 'unknown_field'], route);
      assert.match(refused.body.error.message, new RegExp(`"${field}"`), route);
    }
    const batchArray = await call('POST', '/api/v1/usage', '[{"repo":"demo"}]');
    assert.deepEqual([batchArray.status, batchArray.body.error.code], [400, 'invalid_batch']);
    const nul = await call('PUT', path, { version: 'HEAD\u0000' });
    assert.equal(nul.status, 400);
    const option = await call('PUT', path, { version: '--upload-pack=touch /tmp/pwned' });
    assert.equal(option.status, 400);
    assert.equal(option.body.error.code, 'invalid_name');
    const huge = await call('PUT', '/api/v1/repos/demo/prompts/welcome', { content: 'x'.repeat(10 * 1024 * 1024), message: 'huge' });
    assert.equal(huge.status, 413);
    assert.equal(huge.body.error.code, 'payload_too_large');
    assert.equal((await call('GET', '/healthz')).status, 200, 'the forge is fine afterwards');
  });

  it('streams label moves made through the API and with plain git, and replays after Last-Event-ID', async () => {
    const events = await openEvents(forge.url);
    try {
      assert.equal(events.response.headers['content-type'], 'text/event-stream; charset=utf-8');
      const current = git(repo, 'rev-parse', 'refs/labels/welcome/staging');
      const [, v2] = await versions();
      const stagingUri = resolveUri('prompt://localhost/demo/welcome/staging?app_name=Acme');
      assert.equal((await call('GET', stagingUri)).body.sha, current);
      const moved = await call('PUT', '/api/v1/repos/demo/prompts/welcome/labels/staging', { version: v2.sha, expected: current });
      assert.equal(moved.status, 200);
      const afterMove = (await call('GET', stagingUri)).body;
      assert.equal(afterMove.sha, v2.sha, 'a kept answer is not served after the label moved');
      assert.deepEqual(afterMove.labels, ['staging']);
      const viaApi = await events.next((e) => e.event === 'label' && e.data.id === 'welcome' && e.data.label === 'staging');
      assert.deepEqual(viaApi.data, { repo: 'demo', id: 'welcome', label: 'staging', from: current, to: v2.sha });
      assert.match(viaApi.id!, /^[0-9a-z]+-\d+$/);

      // Another prompt's label, whose ref folder nobody touched since the repo was made.
      const chatUri = resolveUri('prompt://localhost/demo/support-chat/staging?customer_name=A&product=B&question=C');
      const chatStaging = (await call('GET', chatUri)).body.sha;
      const chatRelease = git(repo, 'rev-parse', 'support-chat@1.0.0^{commit}');
      assert.notEqual(chatStaging, chatRelease);
      git(repo, 'update-ref', 'refs/labels/support-chat/staging', chatRelease, chatStaging);
      const viaGit = await events.next((e) => e.event === 'label' && e.data.id === 'support-chat' && e.data.label === 'staging');
      assert.deepEqual(viaGit.data, { repo: 'demo', id: 'support-chat', label: 'staging', from: chatStaging, to: chatRelease });
      assert.equal((await call('GET', chatUri)).body.sha, chatRelease, 'resolves follow a move made with plain git');

      const [head] = await versions('summarize-ticket');
      const source = git(repo, 'show', `${head.sha}:summarize-ticket.prompt`);
      const committed = await call('PUT', '/api/v1/repos/demo/prompts/summarize-ticket', { content: source + '\nBe precise.\n', base: head.sha, message: 'precise' });
      const version = await events.next((e) => e.event === 'version' && e.data.id === 'summarize-ticket');
      assert.equal(version.data.sha, committed.body.sha);

      const replay = await openEvents(forge.url, { 'last-event-id': viaApi.id! });
      try {
        const again = await replay.next((e) => e.event === 'label' && e.data.id === 'support-chat');
        assert.equal(again.id, viaGit.id, 'the missed event is replayed with its id');
      } finally {
        replay.close();
      }
    } finally {
      events.close();
    }
  });

  it('ends open event streams and exits 0 on SIGTERM', async () => {
    const events = await openEvents(forge.url);
    const ended = new Promise<void>((resolve) => events.response.on('end', () => resolve()));
    assert.equal(await forge.stop(), 0);
    await ended;
    assert.match(events.raw(), /^retry: 2000\n: connected\n\n/);
    forge = await startForge(['--repo', `demo=${repo}`, '--body-limit', '64kb']);
  });

  it('records usage per version and answers metrics', async () => {
    const [v3, v2] = await releases();
    const at = new Date().toISOString();
    const posted = await call('POST', '/api/v1/usage', {
      events: [
        { repo: 'demo', id: 'welcome', sha: v3.sha, success: true, latencyMs: 120, inputTokens: 10, outputTokens: 20, at },
        { repo: 'demo', id: 'welcome', sha: v3.sha, success: false, latencyMs: 300, at },
        { uri: `prompt://localhost/demo/welcome/${v2.sha}`, success: true, latencyMs: 90, feedback: 1, at },
        { repo: 'demo', id: 'welcome', sha: 'not-a-sha' },
        { repo: 'demo', id: 'nope', sha: v3.sha, at },
      ],
    });
    assert.equal(posted.status, 200, JSON.stringify(posted.body));
    assert.equal(posted.body.accepted, 3);
    assert.deepEqual(
      posted.body.rejected.map((r: any) => r.index),
      [3, 4],
    );
    const metrics = await call('GET', '/api/v1/repos/demo/prompts/welcome/usage');
    const bySha = Object.fromEntries(metrics.body.versions.map((v: any) => [v.sha, v]));
    assert.equal(bySha[v3.sha].calls, 2);
    assert.equal(bySha[v3.sha].successRate, 0.5);
    assert.equal(bySha[v2.sha].calls, 1);
    assert.equal(bySha[v2.sha].release, '1.1.0');
    const one = await call('GET', '/api/v1/repos/demo/prompts/welcome/usage?version=1.1.0');
    assert.deepEqual(
      one.body.versions.map((v: any) => v.sha),
      [v2.sha],
    );
    const csv = await call('GET', '/api/v1/repos/demo/prompts/welcome/usage?format=csv');
    assert.match(csv.headers.get('content-type')!, /text\/csv/);
    assert.match(csv.body, new RegExp(v3.sha));
    const series = await call('GET', '/api/v1/repos/demo/prompts/welcome/usage?bucket=hour');
    assert.equal(series.body.bucket, 'hour');
    const badSince = await call('GET', '/api/v1/repos/demo/prompts/welcome/usage?since=yesterday');
    assert.equal(badSince.body.error.code, 'invalid_query');
    const exported = await call('GET', '/api/v1/repos/demo/prompts/welcome/usage/events?format=json');
    assert.equal(exported.body.length, 3);
    assert.deepEqual(new Set(exported.body.map((e: any) => e.sha)), new Set([v3.sha, v2.sha]));
    const exportedCsv = await call('GET', '/api/v1/repos/demo/prompts/welcome/usage/events?format=csv&version=1.1.0');
    assert.equal(exportedCsv.body.trim().split('\n').length, 2, 'header and the one event of 1.1.0');
    const noLlm = await call('POST', '/api/v1/repos/demo/prompts/welcome/review', {});
    assert.equal(noLlm.status, 503);
    assert.equal(noLlm.body.error.code, 'llm_not_configured');
    const badBatch = await call('POST', '/api/v1/usage', { nope: [] });
    assert.equal(badBatch.status, 400);
  });
});

import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { hashKey } from '../../forge/auth';
import { makeDemo, startForge, tempDir, type ForgeProcess } from '../forge/apiServer';

const ADMIN = 'pf_serving-admin-key';
const READER = 'pf_serving-read-key';

describe('web console: serving, sessions and the check route (HTTP)', function () {
  this.timeout(30_000);
  let forge: ForgeProcess;
  let open: ForgeProcess;
  let cleanup: () => void;

  before(async () => {
    const temp = tempDir('pf-web-http-');
    cleanup = temp.cleanup;
    const repo = makeDemo(temp.dir);
    const config = join(temp.dir, 'forge.yaml');
    writeFileSync(config, `repos:\n  demo: ${repo}\nkeys:\n  - name: ada\n    role: admin\n    hash: ${hashKey(ADMIN)}\n  - name: rita\n    role: read\n    hash: ${hashKey(READER)}\n`);
    forge = await startForge(['--config', config, '--usage-db', ':memory:']);
    open = await startForge(['--repo', `demo=${repo}`, '--usage-db', ':memory:']);
  });
  after(async () => {
    await forge?.stop();
    await open?.stop();
    cleanup?.();
  });

  const signIn = async (key: string) => {
    const res = await fetch(`${forge.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key }) });
    return { res, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] };
  };

  it('serves the page under a CSP without inline script, hashed assets as immutable, and a first load under 300 KB compressed', async () => {
    const page = await fetch(`${forge.url}/`);
    assert.equal(page.status, 200);
    const csp = page.headers.get('content-security-policy')!;
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
    assert.match(csp, /frame-ancestors 'none'/);
    const html = await page.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    const nonce = /content="([^"]+)"/.exec(html.match(/<meta name="csp-nonce"[^>]*>/)![0])![1];
    assert.ok(csp.includes(`'nonce-${nonce}'`) && nonce.length >= 16);
    assert.notEqual(nonce, /content="([^"]+)"/.exec((await (await fetch(`${forge.url}/`)).text()).match(/<meta name="csp-nonce"[^>]*>/)![0])![1], 'a new nonce per page');
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    assert.equal(assets.length, 2);
    let compressed = 0;
    for (const path of assets) {
      assert.match(path, /-[A-Z0-9]{8}\.(js|css)$/, 'a content hash in the name');
      const res = await fetch(`${forge.url}${path}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      compressed += gzipSync(Buffer.from(await res.arrayBuffer()), { level: 9 }).length;
    }
    console.log(`      first load: ${(compressed / 1024).toFixed(1)} KB of JS and CSS, gzip -9`);
    assert.ok(compressed < 300 * 1024, `${compressed} bytes`);
    assert.equal((await fetch(`${forge.url}/assets/..%2Fforge.yaml`)).status, 404);
    assert.equal(((await (await fetch(`${forge.url}/assets/nope.js`)).json()) as { error: { code: string } }).error.code, 'asset_not_found');
  });

  it('signs in with a key into an HttpOnly SameSite=Strict cookie; a wrong key is 401; sign-out ends the session', async () => {
    const bad = await signIn('pf_wrong');
    assert.equal(bad.res.status, 401);
    assert.equal(((await bad.res.json()) as { error: { code: string } }).error.code, 'unauthorized');
    const { res, cookie } = await signIn(ADMIN);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('set-cookie')!, /^pf_session=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    assert.ok(!res.headers.get('set-cookie')!.includes(ADMIN));
    assert.deepEqual(await res.json(), { keys: true, caller: { name: 'ada', role: 'admin' } });
    assert.equal((await fetch(`${forge.url}/api/v1/repos`, { headers: { cookie } })).status, 200);
    assert.deepEqual(await (await fetch(`${forge.url}/api/v1/session`, { headers: { cookie } })).json(), { keys: true, caller: { name: 'ada', role: 'admin' } });
    const out = await fetch(`${forge.url}/api/v1/session`, { method: 'DELETE', headers: { cookie, origin: forge.url } });
    assert.match(out.headers.get('set-cookie')!, /Max-Age=0/);
    assert.equal((await fetch(`${forge.url}/api/v1/repos`, { headers: { cookie } })).status, 401);
    const proxied = await fetch(`${forge.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' }, body: JSON.stringify({ key: ADMIN }) });
    assert.match(proxied.headers.get('set-cookie')!, /; Secure$/, 'Secure behind an HTTPS proxy');
  });

  it('a write on the session cookie needs an Origin of the forge and a JSON body; the role still limits it', async () => {
    const { cookie } = await signIn(ADMIN);
    const path = `${forge.url}/api/v1/repos/demo/prompts/welcome/labels/canary`;
    const put = (headers: Record<string, string>, body = JSON.stringify({ version: 'HEAD', expected: null })) =>
      fetch(path, { method: 'PUT', headers: { cookie, ...headers }, body }).then(async (r) => ({ status: r.status, code: ((await r.json()) as { error?: { code: string } }).error?.code }));
    assert.deepEqual(await put({ 'content-type': 'application/json' }), { status: 403, code: 'origin_not_allowed' });
    assert.deepEqual(await put({ 'content-type': 'application/json', origin: 'http://evil.example' }), { status: 403, code: 'origin_not_allowed' });
    assert.deepEqual(await put({ 'content-type': 'text/plain', origin: forge.url }), { status: 415, code: 'unsupported_media_type' });
    assert.deepEqual(await put({ 'content-type': 'application/json', origin: forge.url }), { status: 200, code: undefined });
    const reader = (await signIn(READER)).cookie;
    const denied = await fetch(path, { method: 'PUT', headers: { cookie: reader, origin: forge.url, 'content-type': 'application/json' }, body: JSON.stringify({ version: 'HEAD' }) });
    assert.equal(denied.status, 403);
    assert.equal(((await denied.json()) as { error: { code: string } }).error.code, 'forbidden');
  });

  it('a forge without keys needs no sign-in', async () => {
    assert.deepEqual(await (await fetch(`${open.url}/api/v1/session`)).json(), { keys: false, caller: { name: 'local', role: 'admin' } });
    const res = await fetch(`${open.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: open.url }, body: JSON.stringify({ key: 'x' }) });
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'keys_not_enabled');
  });

  it('checks unsaved text with the language server\'s codes and messages, partials read from the repo', async () => {
    const content = '---\nparams:\n  unused: { type: string }\n  app_name: { type: string }\n---\nHi {{who}} {{> signature}} {{> nowhere}}\n';
    const res = await fetch(`${open.url}/api/v1/repos/demo/prompts/draft/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ content }) });
    const { problems } = (await res.json()) as { problems: { code: string; message: string; severity: string; start: number; from: { line: number; character: number } }[] };
    assert.deepEqual(
      problems.map((p) => [p.code, p.severity, p.from.line, p.from.character]),
      [
        ['undeclared-param', 'warning', 5, 5],
        ['unused-param', 'warning', 2, 2],
        ['unknown-partial', 'error', 5, 31],
      ],
    );
    assert.equal(problems[2].message, 'no prompt "nowhere" in this repo to include');
    const broken = await fetch(`${open.url}/api/v1/repos/demo/prompts/draft/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ content: '---\nparams: [\n---\nx\n' }) });
    assert.equal(((await broken.json()) as { problems: { code: string }[] }).problems[0].code, 'invalid-front-matter');
    const missing = await fetch(`${open.url}/api/v1/repos/demo/prompts/draft/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(missing.status, 400);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'missing_field');
  });

  it("answers one prompt's catalog row, and 404 prompt_not_found for none", async () => {
    const { prompt } = (await (await fetch(`${open.url}/api/v1/repos/demo/prompts/welcome`)).json()) as { prompt: { id: string; labels: Record<string, string> } };
    assert.equal(prompt.id, 'welcome');
    assert.ok(prompt.labels.production);
    const none = await fetch(`${open.url}/api/v1/repos/demo/prompts/nope`);
    assert.equal(none.status, 404);
    assert.equal(((await none.json()) as { error: { code: string } }).error.code, 'prompt_not_found');
  });

  it('counts calls per prompt over the last days, for the catalog', async () => {
    const sha = ((await (await fetch(`${open.url}/api/v1/repos/demo/prompts/welcome/versions`)).json()) as { versions: { sha: string }[] }).versions[0].sha;
    const events = [1, 2, 3].map(() => ({ uri: `prompt://localhost/demo/welcome/${sha}`, success: true }));
    await fetch(`${open.url}/api/v1/usage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
    const res = (await (await fetch(`${open.url}/api/v1/repos/demo/usage/calls?days=7`)).json()) as { calls: Record<string, number> };
    assert.deepEqual(res.calls, { welcome: 3 });
    const bad = await fetch(`${open.url}/api/v1/repos/demo/usage/calls?days=0`);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'invalid_query');
  });

  it('answers the file as written for the editor', async () => {
    const res = await fetch(`${open.url}/api/v1/repos/demo/prompts/welcome/source?version=production`);
    assert.match(res.headers.get('x-promptforge-sha') ?? '', /^[0-9a-f]{40}$/);
    assert.match(await res.text(), /^---\n/);
    assert.equal(readFileSync(resolve(__dirname, '../../dist/web/index.html'), 'utf8').includes('%NONCE%'), true, 'the built page keeps the nonce slot');
  });
});

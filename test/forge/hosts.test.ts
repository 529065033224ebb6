/**
 * Host and Origin checks (DESIGN §4) on a real keyless forge, with raw node:http requests
 * that set the headers a DNS-rebinding page or a cross-site form would send.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseHostName } from '../../forge/http/hosts';
import { makeDemo, runCli, startForge, tempDir, type ForgeProcess } from './apiServer';

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();

interface Raw {
  status: number;
  body: any;
}

/** One request to 127.0.0.1:port with exactly the Host and Origin given. */
function raw(port: number, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ host: '127.0.0.1', port, method, path, setHost: false, headers: { ...headers, ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

describe('forge: Host and Origin checks', function () {
  let tmp: ReturnType<typeof tempDir>;
  let repo: string;
  let forge: ForgeProcess;
  let port: number;
  const label = '/api/v1/repos/demo/prompts/welcome/labels/qa';

  before(async () => {
    tmp = tempDir('pf-hosts-');
    repo = makeDemo(tmp.dir);
    const config = join(tmp.dir, 'forge.yaml');
    writeFileSync(config, `repos:\n  demo: ./demo\npublicHosts:\n  - prompts.example.com\n  - "other.example:8443"\n`);
    forge = await startForge(['--config', config]);
    port = Number(new URL(forge.url).port);
  });
  after(async () => {
    await forge?.stop();
    tmp?.cleanup();
  });

  it('refuses a write whose Host names another site (DNS rebinding) with 421 misdirected_host, and moves nothing', async () => {
    const res = await raw(port, 'PUT', label, { host: 'attacker.example' }, { version: '1.0.0' });
    assert.equal(res.status, 421);
    assert.equal(res.body.error.code, 'misdirected_host');
    assert.match(res.body.error.message, /Host "attacker\.example".*localhost:\d+.*publicHosts/);
    assert.throws(() => git(repo, 'rev-parse', '--verify', '--quiet', 'refs/labels/welcome/qa'));
  });

  it('refuses reads and liveness under a foreign Host, or a public name on the wrong port, too', async () => {
    for (const host of ['attacker.example', `attacker.example:${port}`, 'prompts.example.com.evil.test', 'other.example:8444', '']) {
      const res = await raw(port, 'GET', '/api/v1/repos', { host });
      assert.equal(res.status, 421, host);
      assert.equal(res.body.error.code, 'misdirected_host', host);
    }
    assert.equal((await raw(port, 'GET', '/healthz', { host: 'attacker.example' })).status, 421);
  });

  it('answers to loopback names on any port (a local proxy in front of it) and to the configured publicHosts', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`, `localhost:${port + 1}`, `127.0.0.1:${port + 2}`, 'prompts.example.com', 'prompts.example.com:443', 'other.example:8443']) {
      assert.equal((await raw(port, 'GET', '/api/v1/repos', { host })).status, 200, host);
    }
    assert.equal((await raw(port, 'GET', '/api/v1/repos', { host: 'other.example:8444' })).status, 421);
  });

  it('refuses a browser write from another origin with 403 origin_not_allowed, but not reads or same-origin writes', async () => {
    const host = `127.0.0.1:${port}`;
    for (const origin of ['http://attacker.example', 'null', `http://attacker.example:${port}`, `https://localhost:${port + 1}`]) {
      const res = await raw(port, 'PUT', label, { host, origin }, { version: '1.0.0' });
      assert.equal(res.status, 403, origin);
      assert.equal(res.body.error.code, 'origin_not_allowed', origin);
    }
    assert.throws(() => git(repo, 'rev-parse', '--verify', '--quiet', 'refs/labels/welcome/qa'));
    assert.equal((await raw(port, 'GET', '/api/v1/repos', { host, origin: 'http://attacker.example' })).status, 200, 'reads are left to CORS');
    const same = await raw(port, 'PUT', label, { host, origin: `http://localhost:${port}` }, { version: '1.0.0' });
    assert.equal(same.status, 200, JSON.stringify(same.body));
    const proxied = await raw(port, 'POST', '/api/v1/usage', { host: 'prompts.example.com', origin: 'https://prompts.example.com' }, { events: [] });
    assert.equal(proxied.status, 200, JSON.stringify(proxied.body));
  });

  it('refuses a publicHosts entry that is not a host name, naming file, line and column', () => {
    const file = join(tmp.dir, 'bad.yaml');
    writeFileSync(file, `repos:\n  demo: ./demo\npublicHosts:\n  - ok.example\n  - https://prompts.example.com/\n`);
    const out = runCli(['serve', '--config', file, '--port', '0']);
    assert.equal(out.code, 1);
    assert.equal(
      out.stderr.trim(),
      `promptforge serve: ${file}:5:5: publicHosts[1]: must be a host name with an optional port, such as prompts.example.com or prompts.example.com:8443 (got "https://prompts.example.com/")`,
    );
  });

  it('parses any Host header without throwing, and only plain names and ports', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (text) => void parseHostName(text)));
    fc.assert(
      fc.property(fc.domain(), fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }), (name, port) => {
        assert.deepEqual(parseHostName(port === undefined ? name : `${name}:${port}`), port === undefined ? { name } : { name, port });
      }),
    );
    for (const bad of ['http://x', 'a/b', 'user@x', 'x:99999', 'a b', '[::1', '']) assert.equal(parseHostName(bad), null, bad);
    const start = performance.now();
    parseHostName('a'.repeat(299) + '!');
    parseHostName('a-'.repeat(149) + '!');
    assert.ok(performance.now() - start < 50, 'linear time');
  });
});

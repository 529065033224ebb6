/** Usage through a real forge process: storage location, restarts, labels at the time of use, export. */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { defaultUsageDb } from '../../forge/usage/location';
import { makeDemo, startForge, tempDir, type ForgeProcess } from './apiServer';

async function call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; type: string; body: any }> {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, body: type.startsWith('application/json') ? JSON.parse(text) : text };
}

describe('usage over the HTTP API', function () {
  this.timeout(30_000);
  const tmp = tempDir('pf-usage-api-');
  let repo: string;
  let forge: ForgeProcess;
  let production: { sha: string; canonical: string };
  let staging: { sha: string; canonical: string };
  const api = (method: string, path: string, body?: unknown) => call(forge.url, method, path, body);
  const resolve = async (version: string) =>
    (await api('GET', `/api/v1/resolve?uri=${encodeURIComponent(`prompt://localhost/demo/welcome/${version}?app_name=Acme`)}`)).body;

  before(async () => {
    repo = makeDemo(tmp.dir);
    forge = await startForge(['--repo', `demo=${repo}`]);
    [production, staging] = await Promise.all([resolve('production'), resolve('staging')]);
  });
  after(async () => {
    await forge?.stop();
    tmp.cleanup();
  });

  it('stores the good events of a batch with the release and labels of the moment, and explains each bad one', async () => {
    const at = new Date().toISOString();
    const posted = await api('POST', '/api/v1/usage', {
      events: [
        { repo: 'demo', id: 'welcome', sha: production.sha, success: true, latencyMs: 100, feedback: 1, at },
        { repo: 'demo', id: 'welcome', sha: production.sha, latencyMs: -5, at },
        { uri: staging.canonical, success: false, latencyMs: 300, consent: true, input: '{"app_name":"Acme"}', output: 'Welcome!', at },
        { repo: 'demo', id: 'welcome', sha: staging.sha, output: 'kept without consent?', at },
        { repo: 'elsewhere', id: 'welcome', sha: staging.sha, at },
      ],
    });
    assert.equal(posted.status, 200);
    assert.equal(posted.body.accepted, 2);
    assert.deepEqual(posted.body.rejected.map((r: any) => [r.index, r.code]), [[1, 'invalid_latency_ms'], [3, 'consent_required'], [4, 'unknown_prompt']]);

    const { body } = await api('GET', '/api/v1/repos/demo/prompts/welcome/usage');
    const bySha = Object.fromEntries(body.versions.map((v: any) => [v.sha, v]));
    assert.deepEqual([bySha[production.sha].release, bySha[production.sha].labels], ['1.1.0', ['production']]);
    assert.deepEqual([bySha[staging.sha].release, bySha[staging.sha].labels], ['2.0.0-beta.1', ['staging']]);
    assert.equal(bySha[staging.sha].successRate, 0);
  });

  it('exports raw events as CSV and JSON, filtered by version', async () => {
    const csv = await api('GET', '/api/v1/repos/demo/prompts/welcome/usage/events?format=csv');
    assert.match(csv.type, /^text\/csv/);
    const rows = (csv.body as string).trim().split('\r\n');
    assert.equal(rows[0], 'at,repo,id,sha,release,labels,trackingId,success,latencyMs,inputTokens,outputTokens,model,feedback,metadata');
    assert.equal(rows.length, 3);
    assert.ok(!(csv.body as string).includes('Welcome!'), 'samples are not exported');

    const json = await api('GET', '/api/v1/repos/demo/prompts/welcome/usage/events?version=staging');
    assert.deepEqual(json.body.map((e: any) => [e.sha, e.success, e.labels]), [[staging.sha, false, ['staging']]]);
    assert.equal((await api('GET', '/api/v1/repos/demo/prompts/welcome/usage/events?format=xml')).body.error.code, 'invalid_query');
    assert.equal((await api('GET', '/api/v1/repos/demo/prompts/nope/usage/events')).status, 404);
  });

  it('escapes CSV cells a spreadsheet would run as formulas, leaving numbers and JSON as they are', async () => {
    const sha = execFileSync('git', ['-C', repo, 'rev-parse', 'refs/labels/support-chat/production'], { encoding: 'utf8' }).trim();
    const hyperlink = '=HYPERLINK("http://evil","x")';
    const posted = await api('POST', '/api/v1/usage', {
      events: [{ repo: 'demo', id: 'support-chat', sha, model: hyperlink, trackingId: '@SUM(A1)', feedback: -1, metadata: { note: '+1' }, at: new Date().toISOString() }],
    });
    assert.equal(posted.body.accepted, 1, JSON.stringify(posted.body));
    const csv = (await api('GET', '/api/v1/repos/demo/prompts/support-chat/usage/events?format=csv')).body as string;
    const [header, row] = csv.trim().split('\r\n');
    const cell = (name: string) => row.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)[header.split(',').indexOf(name)];
    assert.equal(cell('model'), `"'=HYPERLINK(""http://evil"",""x"")"`);
    assert.equal(cell('trackingId'), "'@SUM(A1)");
    assert.equal(cell('feedback'), '-1', 'a number is not text and stays a number');
    assert.equal(cell('metadata'), '"{""note"":""+1""}"');
    const json = (await api('GET', '/api/v1/repos/demo/prompts/support-chat/usage/events')).body;
    assert.equal(json[0].model, hyperlink, 'JSON keeps the value as sent');
  });

  it('keeps usage in the repo\'s git directory by default, across a restart', async () => {
    const before = (await api('GET', '/api/v1/repos/demo/prompts/welcome/usage')).body;
    await forge.stop();
    assert.ok(existsSync(defaultUsageDb(repo)), 'usage file inside the git directory');
    forge = await startForge(['--repo', `demo=${repo}`]);
    assert.deepEqual((await api('GET', '/api/v1/repos/demo/prompts/welcome/usage')).body, before);
  });
});

describe('usage export to a client that leaves mid-way', function () {
  this.timeout(30_000);
  const tmp = tempDir('pf-usage-abort-');
  /** About 4 KB each as JSON: some 20 MB in all, far more than the socket buffers hold. */
  const EVENTS = 5000;
  const path = '/api/v1/repos/demo/prompts/welcome/usage/events';
  let forge: ForgeProcess;
  let canonical: string;
  const api = (method: string, path: string, body?: unknown) => call(forge.url, method, path, body);

  before(async () => {
    forge = await startForge(['--repo', `demo=${makeDemo(tmp.dir)}`, '--usage-db', ':memory:', '--body-limit', '8mb']);
    canonical = (await api('GET', `/api/v1/resolve?uri=${encodeURIComponent('prompt://localhost/demo/welcome/production?app_name=Acme')}`)).body.canonical;
    const event = { uri: canonical, success: true, metadata: { note: 'x'.repeat(4000) } };
    for (let sent = 0; sent < EVENTS; sent += 1000) {
      const posted = await api('POST', '/api/v1/usage', { events: Array.from({ length: 1000 }, () => event) });
      assert.equal(posted.body.accepted, 1000, JSON.stringify(posted.body));
    }
  });
  after(async () => {
    await forge?.stop();
    tmp.cleanup();
  });

  it('stops the export and goes on serving when the client leaves while the socket is full', async () => {
    // The client reads nothing after the headers, so the forge fills the socket and waits
    // for it to drain; a health check answered meanwhile shows it is waiting, not busy.
    const req = request(forge.url + path);
    const res = await new Promise<IncomingMessage>((resolve, reject) => req.on('response', resolve).on('error', reject).end());
    assert.equal(res.statusCode, 200);
    assert.equal((await api('GET', '/healthz')).status, 200);
    req.on('error', () => {});
    req.destroy();

    // The handler notices the closed socket and ends (with the old wait on 'drain' alone, it never did).
    await forge.stderrMatching(/usage\/events: the client left before the end; the export stopped/);
    const posted = await api('POST', '/api/v1/usage', { events: [{ uri: canonical, success: false }] });
    assert.equal(posted.body.accepted, 1);
    const all = await api('GET', path);
    assert.equal(all.status, 200);
    assert.equal(all.body.length, EVENTS + 1);
    assert.equal(all.body.at(-1).success, false);
  });
});

import assert from 'node:assert/strict';
import { ForgeApiError, ForgeClient, ForgeUnreachableError, type ForgeEvent } from '../../sdk';
import { StubForge } from './helpers/stubForge';
import { waitFor } from './helpers/waitFor';

describe('sdk ForgeClient (against a stub speaking the API shapes)', () => {
  let stub: StubForge;
  let client: ForgeClient;

  beforeEach(async () => {
    stub = await new StubForge().start();
    client = new ForgeClient({ url: stub.url, apiKey: 'k1', timeoutMs: 2000 });
  });
  afterEach(async () => {
    await client.close();
    await stub.stop();
  });

  it('sends one request per route with the documented method, path and body', async () => {
    stub.handler = () => ({ body: {} });
    await client.listRepos();
    await client.listPrompts('demo');
    await client.versions('demo', 'welcome');
    await client.resolve('prompt://h/demo/welcome/production?app_name=A&b');
    await client.render('prompt://h/demo/welcome/production', { app_name: 'A' });
    await client.diff('demo', 'welcome', 'production', 'HEAD');
    await client.promote('demo', 'welcome', 'production', { version: '1.2.0', expected: 'abc' });
    await client.labelHistory('demo', 'welcome', 'production');
    await client.release('demo', 'welcome', { version: '1.3.0', ref: 'HEAD', notes: 'n' });
    await client.commitPrompt('demo', 'welcome', { content: 'x', base: 'abc', message: 'm' });
    await client.recordUsage([{ repo: 'demo', id: 'welcome', sha: 'abc', success: true }]);
    await client.usage('demo', 'welcome', { since: '2026-01-01' });
    await client.usageSeries('demo', 'welcome', 'day', { version: 'production' });
    await client.review('demo', 'welcome', { version: 'production', instruction: 'shorter' });
    await client.applyReview('demo', 'welcome', { content: 'x', base: 'abc' });
    await client.health();
    assert.deepEqual(
      stub.requests.map((r) => `${r.method} ${r.path}`),
      [
        'GET /api/v1/repos',
        'GET /api/v1/repos/demo/prompts',
        'GET /api/v1/repos/demo/prompts/welcome/versions',
        `GET /api/v1/resolve?uri=${encodeURIComponent('prompt://h/demo/welcome/production?app_name=A&b')}`,
        'POST /api/v1/render',
        'GET /api/v1/repos/demo/prompts/welcome/diff?from=production&to=HEAD',
        'PUT /api/v1/repos/demo/prompts/welcome/labels/production',
        'GET /api/v1/repos/demo/prompts/welcome/labels/production/history',
        'POST /api/v1/repos/demo/prompts/welcome/releases',
        'PUT /api/v1/repos/demo/prompts/welcome',
        'POST /api/v1/usage',
        'GET /api/v1/repos/demo/prompts/welcome/usage?since=2026-01-01',
        'GET /api/v1/repos/demo/prompts/welcome/usage?version=production&bucket=day',
        'POST /api/v1/repos/demo/prompts/welcome/review',
        'POST /api/v1/repos/demo/prompts/welcome/review/apply',
        'GET /healthz',
      ],
    );
    assert.deepEqual(stub.requests[4].body, { uri: 'prompt://h/demo/welcome/production', params: { app_name: 'A' } });
    assert.deepEqual(stub.requests[6].body, { version: '1.2.0', expected: 'abc' });
    assert.deepEqual(stub.requests[10].body, { events: [{ repo: 'demo', id: 'welcome', sha: 'abc', success: true }] });
    assert.deepEqual(stub.requests[13].body, { version: 'production', instruction: 'shorter' });
    assert.deepEqual(stub.requests[14].body, { content: 'x', base: 'abc' });
    assert.ok(stub.requests.every((r) => r.headers.authorization === 'Bearer k1'));
  });

  it('accepts lists bare or wrapped under their name', async () => {
    stub.handler = (r) => ({ body: r.path.endsWith('/repos') ? [{ name: 'a', prompts: 1 }] : { prompts: [{ id: 'x' }] } });
    assert.deepEqual(await client.listRepos(), [{ name: 'a', prompts: 1 }]);
    assert.deepEqual(await client.listPrompts('a'), [{ id: 'x' }]);
  });

  it('percent-encodes path segments, so a hostile label cannot change the route', async () => {
    stub.handler = () => ({ body: [] });
    await client.labelHistory('demo', 'welcome', '../../repos?x=1');
    assert.equal(stub.requests[0].path, '/api/v1/repos/demo/prompts/welcome/labels/..%2F..%2Frepos%3Fx%3D1/history');
  });

  it("turns the API's error body into a ForgeApiError with status and code", async () => {
    stub.handler = () => ({ status: 409, body: { error: { code: 'label_conflict', message: 'production is at def, not abc' } } });
    const error = await client.promote('demo', 'welcome', 'production', { version: 'HEAD', expected: 'abc' }).catch((e) => e);
    assert.ok(error instanceof ForgeApiError);
    assert.equal(error.status, 409);
    assert.equal(error.code, 'label_conflict');
    assert.equal(error.message, 'production is at def, not abc');
    assert.equal(error.request, 'PUT /api/v1/repos/demo/prompts/welcome/labels/production');
  });

  it('gives a non-JSON error page or an unknown code one of core codes, keeping the message', async () => {
    stub.handler = () => ({ status: 502, body: undefined });
    const error = await client.listRepos().catch((e) => e);
    assert.ok(error instanceof ForgeApiError);
    assert.equal(error.code, 'invalid_response');
    assert.equal(error.status, 502);
    stub.handler = () => ({ status: 403, body: { error: { code: 'some_newer_word', message: 'no' } } });
    const refused = await client.listRepos().catch((e) => e);
    assert.equal(refused.code, 'forbidden');
    assert.equal(refused.message, 'no');
  });

  it('reports a refused connection as ForgeUnreachableError naming the URL', async () => {
    const url = stub.url;
    await stub.stop();
    const dead = new ForgeClient({ url });
    const error = await dead.listRepos().catch((e) => e);
    await dead.close();
    assert.ok(error instanceof ForgeUnreachableError);
    assert.match(error.message, new RegExp(`forge at ${url} is unreachable \\(connection refused\\)`));
    stub = await new StubForge().start();
  });

  it('times out a forge that does not answer', async () => {
    stub.handler = () => new Promise(() => {});
    const hung = new ForgeClient({ url: stub.url, timeoutMs: 100 });
    const error = await hung.listRepos().catch((e) => e);
    await hung.close();
    assert.ok(error instanceof ForgeUnreachableError);
    assert.match(error.message, /timed out after 100 ms/);
  });

  it("stops a request when the caller's signal aborts", async () => {
    stub.handler = () => new Promise(() => {});
    const stop = new AbortController();
    const pending = client.listRepos({ signal: stop.signal }).catch((e) => e);
    await waitFor('the request to arrive', () => stub.requests.length === 1);
    stop.abort();
    const error = await pending;
    assert.ok(error instanceof ForgeUnreachableError);
    assert.equal(error.reason, 'aborted');
  });

  it('follows the event stream, reconnecting with Last-Event-ID after a drop', async () => {
    const seen: ForgeEvent[] = [];
    const stop = new AbortController();
    let opens = 0;
    const following = client.events((e) => seen.push(e), { signal: stop.signal, minBackoffMs: 10, onOpen: () => opens++ });
    await waitFor('stream open', () => stub.streamCount === 1);
    stub.emit('label', { repo: 'demo', id: 'welcome', label: 'production', to: 'abc' }, '7');
    await waitFor('first event', () => seen.length === 1);
    stub.dropStreams();
    await waitFor('reconnect', () => stub.streamCount === 1 && opens === 2);
    stub.emit('release', { repo: 'demo', id: 'welcome', release: '1.3.0' }, '8');
    await waitFor('second event', () => seen.length === 2);
    stop.abort();
    await following;
    assert.deepEqual(seen[0], { type: 'label', eventId: '7', data: { repo: 'demo', id: 'welcome', label: 'production', to: 'abc' } });
    assert.equal(seen[1].type, 'release');
    const streamRequests = stub.requests.filter((r) => r.path === '/api/v1/events');
    assert.equal(streamRequests[0].headers['last-event-id'], undefined);
    assert.equal(streamRequests[1].headers['last-event-id'], '7');
    assert.equal(streamRequests[1].headers.accept, 'text/event-stream');
  });
});

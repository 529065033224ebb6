/**
 * Errors that tell the caller what to do: an `&` left unencoded in a resolve, a short
 * form sent to the forge, a missing `uri`, param problems located in the URI, history of
 * a prompt or label that does not exist, an array where a usage batch belongs.
 */
import assert from 'node:assert/strict';
import { makeDemo, startForge, tempDir, type ForgeProcess } from './apiServer';

describe('forge API: errors that say what to do', function () {
  let tmp: ReturnType<typeof tempDir>;
  let forge: ForgeProcess;

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(forge.url + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const resolve = (uri: string) => call('GET', `/api/v1/resolve?uri=${encodeURIComponent(uri)}`);

  before(async () => {
    tmp = tempDir('pf-api-errors-');
    forge = await startForge(['--repo', `demo=${makeDemo(tmp.dir)}`]);
  });
  after(async () => {
    await forge?.stop();
    tmp?.cleanup();
  });

  it('says the & must be encoded as %26 when the prompt query spilled into the forge query', async () => {
    for (const [query, stray] of [
      ['uri=prompt://h/demo/welcome?tier=free&app_name=Acme', ['app_name']],
      ['uri=prompt://h/demo/welcome?app_name=Acme&tier=premium', ['tier']], // rendered without the tier before
      ['uri=prompt://h/demo/welcome?app_name=Acme&tier=free&user_name=Jo', ['tier', 'user_name']],
    ] as const) {
      const { status, body } = await call('GET', `/api/v1/resolve?${query}`);
      assert.equal(status, 400, query);
      assert.equal(body.error.code, 'invalid_query', query);
      assert.deepEqual(body.error.query, stray);
      assert.match(body.error.message, /encode each "&" inside the uri value as %26/);
    }
    const encoded = await call('GET', `/api/v1/resolve?uri=prompt://h/demo/welcome?app_name=Acme%26tier=premium`);
    assert.equal(encoded.status, 200);
    assert.equal(encoded.body.values.tier, 'premium');
  });

  it('locates param problems in the URI, not in the prompt file', async () => {
    const cases: [string, string, string][] = [
      ['prompt://h/demo/welcome/production?tier=free', 'missing_param', 'tier=free'],
      ['prompt://h/demo/welcome/production', 'missing_param', 'prompt://h/demo/welcome/production'],
      ['prompt://h/demo/welcome/production?app_name=A&colour=red', 'unknown_param', 'colour'],
      ['prompt://h/demo/welcome/production?app_name=A&tier=gold', 'invalid_param_value', 'gold'],
    ];
    for (const [uri, code, at] of cases) {
      const { status, body } = await resolve(uri);
      assert.equal(status, 400, uri);
      assert.equal(body.error.code, code, uri);
      const { range } = body.error.problems[0];
      assert.equal(uri.slice(range.start, range.end), at, uri);
    }
    const uri = 'prompt://h/demo/welcome?tier=gold&app_name=A';
    const rendered = await call('POST', '/api/v1/render', { uri });
    assert.equal(rendered.body.error.code, 'invalid_param_value');
    assert.deepEqual(rendered.body.error.problems[0].range, { start: uri.indexOf('gold'), end: uri.indexOf('gold') + 4 });
  });

  it('says short forms are expanded by clients and the forge needs a full prompt:// URI', async () => {
    for (const short of ['welcome:production', 'demo/welcome:production', 'welcome']) {
      const { status, body } = await resolve(short);
      assert.equal(status, 400);
      assert.equal(body.error.code, 'invalid_uri');
      assert.equal(body.error.problem, 'short_form');
      assert.match(body.error.message, /short form.*expanded by clients \(the SDK, the editor\).*needs the full URI, such as prompt:\/\//);
    }
    const scheme = await resolve('https://h/demo/welcome');
    assert.equal(scheme.body.error.problem, 'invalid_scheme');
  });

  it('answers missing_query without uri (missing_field in a render body)', async () => {
    for (const path of ['/api/v1/resolve', '/api/v1/resolve?uri=']) {
      const { status, body } = await call('GET', path);
      assert.equal(status, 400);
      assert.equal(body.error.code, 'missing_query', path);
      assert.match(body.error.message, /\?uri=/);
    }
    const render = await call('POST', '/api/v1/render', { params: {} });
    assert.equal(render.body.error.code, 'missing_field');
  });

  it('answers 404 for the history of a prompt or label that does not exist', async () => {
    const prompt = await call('GET', '/api/v1/repos/demo/prompts/nope/labels/production/history');
    assert.equal(prompt.status, 404);
    assert.equal(prompt.body.error.code, 'prompt_not_found');
    const label = await call('GET', '/api/v1/repos/demo/prompts/welcome/labels/nope/history');
    assert.equal(label.status, 404);
    assert.equal(label.body.error.code, 'label_not_found');
    assert.match(label.body.error.message, /no label "nope"; its labels: production, staging/);
    const known = await call('GET', '/api/v1/repos/demo/prompts/welcome/labels/production/history');
    assert.equal(known.status, 200);
    assert.equal(known.body.history.length, 2);
  });

  it('answers invalid_batch for an array sent as a usage batch', async () => {
    const { status, body } = await call('POST', '/api/v1/usage', [{ repo: 'demo', id: 'welcome' }]);
    assert.equal(status, 400);
    assert.equal(body.error.code, 'invalid_batch');
    assert.match(body.error.message, /\{"events": \[/);
  });
});

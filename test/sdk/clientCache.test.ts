import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createPromptClient, PromptNotFoundError, PromptParamsError, PromptUriError, type PromptClient } from '../../sdk';
import { CountingProxy } from './helpers/countingProxy';
import { makeFixtureRepo, type FixtureRepo } from './helpers/fixtureRepo';
import { ForgeProcess } from './helpers/forgeProcess';
import { waitFor } from './helpers/waitFor';

describe('sdk client caching against a real forge', () => {
  let repo: FixtureRepo;
  let forge: ForgeProcess;
  let proxy: CountingProxy;
  let client: PromptClient;
  const host = 'forge.test';
  const resolves = () => proxy.count('/api/v1/resolve');

  before(async () => {
    repo = makeFixtureRepo();
    forge = await ForgeProcess.start({ demo: repo.dir });
    proxy = await new CountingProxy(() => forge.url).start();
  });
  after(async () => {
    await forge?.stop();
    await proxy?.stop();
    rmSync(repo.root, { recursive: true, force: true });
  });
  afterEach(() => client?.close());

  /** A client whose movable entries are stale at once, so each kind's caching shows. */
  function staleAtOnce(): PromptClient {
    return createPromptClient({ hosts: { [host]: { url: proxy.url } }, defaults: { host, repo: 'demo' }, cache: { ttlMs: 0 }, liveUpdates: false });
  }

  it('renders a get exactly as the forge renders it, with defaults applied', async () => {
    client = staleAtOnce();
    const result = await client.get('welcome:production', { app_name: 'Acme' });
    const direct = (await fetch(`${forge.url}/api/v1/resolve?uri=${encodeURIComponent(`prompt://${host}/demo/welcome/production?app_name=Acme`)}`).then((r) => r.json())) as { text: string };
    assert.equal(result.text, direct.text);
    assert.equal(result.text, 'Welcome to Acme (v1)! You are on the free plan.\n');
    assert.deepEqual(result.params, { app_name: 'Acme', tier: 'free' });
    assert.equal(result.sha, repo.v[0]);
    assert.equal(result.release, '1.0.0');
    assert.deepEqual([...result.labels].sort(), ['2', 'production']);
    assert.equal(result.canonical, `prompt://${host}/demo/welcome/${repo.v[0]}`);
    assert.equal(result.uri, `prompt://${host}/demo/welcome/production`);
    assert.equal(result.source, 'forge');
    assert.equal(result.messages, null);
  });

  it('caches SHAs and exact releases for the life of the process: no second request', async () => {
    client = staleAtOnce();
    for (const ref of [`welcome:${repo.v[1]}`, 'welcome:1.1.0', `welcome:${repo.v[1].slice(0, 10)}`]) {
      const before = resolves();
      assert.equal((await client.get(ref, { app_name: 'A' })).source, 'forge', ref);
      const again = await client.get(ref, { app_name: 'B' });
      assert.equal(again.source, 'cache', ref);
      assert.equal(again.sha, repo.v[1], ref);
      assert.equal(again.text, 'Welcome to B (v2)! You are on the free plan.\n');
      assert.equal(resolves(), before + 1, `${ref} was fetched once`);
    }
  });

  it('keeps at most maxEntries references, dropping the least recently used, and refuses a bound below one', async () => {
    client = createPromptClient({ hosts: { [host]: { url: proxy.url } }, defaults: { host, repo: 'demo' }, cache: { maxEntries: 2 }, liveUpdates: false });
    const params = { app_name: 'A' };
    await client.get(`welcome:${repo.v[1]}`, params);
    await client.get('welcome:1.1.0', params);
    await client.get(`welcome:${repo.v[1]}`, params); // now the most recent
    const before = resolves();
    await client.get('welcome:production', params); // pushes 1.1.0 out
    assert.equal((await client.get(`welcome:${repo.v[1]}`, params)).source, 'cache');
    assert.equal((await client.get('welcome:1.1.0', params)).source, 'forge');
    assert.equal(resolves(), before + 2);
    assert.throws(() => createPromptClient({ hosts: { [host]: { url: proxy.url } }, cache: { maxEntries: 0 } }), /maxEntries must be at least 1, got 0/);
  });

  it('serves movable references stale past their TTL while one background refresh runs', async () => {
    client = staleAtOnce();
    for (const ref of ['welcome:production', 'welcome:HEAD', 'welcome:^1', 'welcome:main', 'welcome:latest']) {
      await client.get(ref, { app_name: 'A' });
      const before = resolves();
      const results = await Promise.all([1, 2, 3].map(() => client.get(ref, { app_name: 'A' })));
      assert.deepEqual(results.map((r) => r.source), ['stale', 'stale', 'stale'], ref);
      await waitFor(`${ref} refreshed`, () => resolves() === before + 1);
    }
  });

  it('keeps every version its own entry: a label named 2 is not release 2.0.0, production is not staging', async () => {
    client = createPromptClient({ hosts: { [host]: { url: proxy.url } }, defaults: { host, repo: 'demo' }, liveUpdates: false });
    const shas = await Promise.all(['welcome:2', 'welcome:2.0.0', 'welcome:production', 'welcome:staging'].map(async (ref) => (await client.get(ref, { app_name: 'A' })).sha));
    assert.deepEqual(shas, [repo.v[0], repo.v[2], repo.v[0], repo.v[1]]);
    const cached = await Promise.all(['welcome:2', 'welcome:2.0.0', 'welcome:production', 'welcome:staging'].map(async (ref) => client.get(ref, { app_name: 'A' })));
    assert.deepEqual(cached.map((r) => [r.sha, r.source]), [
      [repo.v[0], 'cache'],
      [repo.v[2], 'cache'],
      [repo.v[0], 'cache'],
      [repo.v[1], 'cache'],
    ]);
  });

  it('renders different params from one cached entry', async () => {
    client = createPromptClient({ hosts: { [host]: { url: proxy.url } }, defaults: { host, repo: 'demo' }, liveUpdates: false });
    const before = resolves();
    const a = await client.get('welcome:staging', { app_name: 'A', tier: 'premium' });
    const b = await client.get(`prompt://${host}/demo/welcome/staging?app_name=B`);
    assert.equal(a.text, 'Welcome to A (v2)! You are on the premium plan.\n');
    assert.equal(b.text, 'Welcome to B (v2)! You are on the free plan.\n');
    assert.equal(b.source, 'cache');
    assert.equal(resolves(), before + 1);
  });

  it('renders chat prompts as messages and includes partials', async () => {
    client = createPromptClient({ hosts: { [host]: { url: proxy.url } }, defaults: { host, repo: 'demo' }, liveUpdates: false });
    const chat = await client.get('chat', { question: 'Why?' });
    assert.equal(chat.type, 'chat');
    assert.equal(chat.text, null);
    assert.deepEqual(chat.messages, [
      { role: 'system', content: 'You answer briefly.' },
      { role: 'user', content: 'Why?' },
    ]);
    const signed = await client.get('signed', { name: 'Ada' });
    const again = await client.get('signed', { name: 'Bo' });
    assert.match(signed.text!, /^Hi Ada\.\n-- The Acme team/);
    assert.match(again.text!, /^Hi Bo\.\n-- The Acme team/);
    assert.equal(again.source, 'cache');
  });

  it('answers a full URI with a query from the cache, and follows the label to its new version', async () => {
    repo.git('update-ref', 'refs/labels/welcome/moving', repo.v[0]);
    client = staleAtOnce();
    const uri = `prompt://${host}/demo/welcome/moving?app_name=Ann`;
    await waitFor('forge sees the new label', async () => (await client.get(uri)).sha === repo.v[0]);
    const cached = await client.get(uri);
    assert.equal(cached.text, 'Welcome to Ann (v1)! You are on the free plan.\n');
    assert.equal(cached.canonical, `prompt://${host}/demo/welcome/${repo.v[0]}?app_name=Ann`);
    repo.git('update-ref', 'refs/labels/welcome/moving', repo.v[1]);
    const moved = await waitFor('the move arrives', async () => {
      const r = await client.get(uri);
      return r.sha === repo.v[1] ? r : undefined;
    });
    assert.equal(moved.text, 'Welcome to Ann (v2)! You are on the free plan.\n');
    assert.equal(moved.canonical, `prompt://${host}/demo/welcome/${repo.v[1]}?app_name=Ann`);
    assert.deepEqual(moved.params, { app_name: 'Ann', tier: 'free' });
  });

  it('surfaces a deleted label instead of serving it from memory forever', async () => {
    repo.git('update-ref', 'refs/labels/welcome/doomed', repo.v[1]);
    client = staleAtOnce();
    await waitFor('forge sees the new label', async () => (await client.get('welcome:doomed', { app_name: 'A' })).sha === repo.v[1]);
    repo.git('update-ref', '-d', 'refs/labels/welcome/doomed');
    const error = await waitFor('the deletion surfaces', async () => {
      try {
        await client.get('welcome:doomed', { app_name: 'A' });
        return undefined;
      } catch (e) {
        return e;
      }
    });
    assert.ok(error instanceof PromptNotFoundError, String(error));
    assert.match((error as Error).message, /prompt:\/\/forge\.test\/demo\/welcome\/doomed/);
  });

  it('throws typed errors for bad references, unknown prompts and bad params', async () => {
    client = staleAtOnce();
    await assert.rejects(client.get('prompt://forge.test/demo'), PromptUriError);
    await assert.rejects(client.get('prompt://elsewhere:1/demo/welcome'), (e: Error) => e instanceof PromptUriError && /unknown host "elsewhere:1"/.test(e.message));
    await assert.rejects(client.get('nope:HEAD'), (e: Error) => e instanceof PromptNotFoundError && /demo\/nope/.test(e.message));
    await assert.rejects(client.get('welcome:9.9.9', { app_name: 'A' }), PromptNotFoundError);
    await assert.rejects(client.get('welcome:production'), (e: Error) => e instanceof PromptParamsError && /app_name/.test(e.message));
    await assert.rejects(client.get('welcome:production', { app_name: 'A', tier: 'gold' }), (e: Error) => e instanceof PromptParamsError && /tier/.test(e.message));
    await assert.rejects(client.get('welcome:production', { app_name: 'A', color: 'red' }), (e: Error) => e instanceof PromptParamsError && /color/.test(e.message));
  });
});

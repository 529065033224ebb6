import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createPromptClient, PromptNotFoundError, PromptParamsError, type PromptClient } from '../../sdk';
import { makeFixtureRepo, welcomeFile, type FixtureRepo } from './helpers/fixtureRepo';
import { waitFor } from './helpers/waitFor';

describe('sdk local mode (the store inside the app, no server)', () => {
  let repo: FixtureRepo;
  let client: PromptClient;

  before(() => {
    repo = makeFixtureRepo();
    client = createPromptClient({ hosts: { local: { path: repo.root } }, defaults: { host: 'local', repo: 'demo' }, cache: { ttlMs: 3_600_000 } });
  });
  after(async () => {
    await client.close();
    rmSync(repo.root, { recursive: true, force: true });
  });

  it('resolves every kind of version from a git repo folder', async () => {
    const cases: [string, string][] = [
      ['welcome:production', repo.v[0]],
      ['welcome:staging', repo.v[1]],
      ['welcome:1.1.0', repo.v[1]],
      
      ['welcome:^1', repo.v[1]],
      ['welcome:latest', repo.v[2]],
      ['welcome:HEAD', repo.v[2]],
      [`welcome:${repo.v[0].slice(0, 8)}`, repo.v[0]],
      ['welcome:HEAD~2', repo.v[0]],
      ['prompt://local/demo/welcome/staging~1', repo.v[0]],
    ];
    for (const [ref, sha] of cases) {
      const r = await client.get(ref, { app_name: 'A' });
      assert.equal(r.sha, sha, ref);
    }
    const r = await client.get('welcome:staging', { app_name: 'A' });
    assert.equal(r.text, 'Welcome to A (v2)! You are on the free plan.\n');
    assert.equal(r.source, 'cache');
    assert.equal(r.canonical, `prompt://local/demo/welcome/${repo.v[1]}`);
    assert.match((await client.get('signed', { name: 'Ada' })).text!, /Hi Ada\.\n-- The Acme team/);
  });

  it('follows label moves and commits made with plain git', async () => {
    repo.git('update-ref', 'refs/labels/welcome/production', repo.v[2], repo.v[0]);
    await waitFor('the moved label', async () => (await client.get('welcome:production', { app_name: 'A' })).sha === repo.v[2], 3000);
    const v4 = repo.commit('welcome.prompt', welcomeFile('v4'), 'welcome v4');
    await waitFor('the new commit', async () => (await client.get('welcome:HEAD', { app_name: 'A' })).sha === v4, 3000);
  });

  it('throws the same typed errors as with a forge', async () => {
    await assert.rejects(client.get('missing:HEAD'), PromptNotFoundError);
    await assert.rejects(client.get('prompt://local/nope/welcome'), (e: Error) => e instanceof PromptNotFoundError && /no repo "nope"/.test(e.message));
    await assert.rejects(client.get('welcome:production', {}), PromptParamsError);
  });
});

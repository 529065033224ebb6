import assert from 'node:assert/strict';
import { fixtureRepo } from './support/fixtureRepo';
import { TestClient } from './support/client';
import type { TestRepo } from '../fixtures/git/makeRepo';

describe('server: completion', () => {
  let repo: TestRepo;
  let client: TestClient;
  before(async () => {
    repo = fixtureRepo();
    client = await TestClient.start({ settings: { hosts: { local: { path: repo.dir }, 'forge.example:7070': { url: 'http://127.0.0.1:9' } }, defaultRepo: 'demo', defaultHost: 'local' } });
  });
  after(async () => {
    await client.stop();
    repo.cleanup();
  });

  /** Labels in the order the editor shows them (by sortText). */
  const labels = async (marked: string, languageId?: string) =>
    (await client.completion(marked, languageId)).sort((a, b) => ((a.sortText ?? a.label) < (b.sortText ?? b.label) ? -1 : 1)).map((i) => i.label);

  it('offers configured hosts after prompt://', async () => {
    assert.deepEqual((await labels('"prompt://|"')).sort(), ['forge.example:7070', 'local']);
  });

  it('offers repos after the host', async () => {
    assert.deepEqual(await labels('"prompt://local/|"'), ['demo']);
  });

  it('offers prompt ids with their description after the repo', async () => {
    const items = await client.completion('"prompt://local/demo/|"');
    assert.deepEqual(items.map((i) => i.label), ['legacy', 'signature', 'summary', 'welcome']);
    assert.equal(items.find((i) => i.label === 'welcome')?.detail, 'Greets a new user');
  });

  it('narrows ids by what is typed before the cursor and replaces the whole segment', async () => {
    const items = await client.completion('"prompt://local/demo/wel|cxyz/HEAD"');
    assert.deepEqual(items.map((i) => i.label), ['welcome']);
    assert.deepEqual((items[0].textEdit as { range: unknown }).range, { start: { line: 0, character: 21 }, end: { line: 0, character: 28 } });
  });

  it('offers labels with their target, releases, HEAD, branches and recent SHAs as versions', async () => {
    const items = (await client.completion('"prompt://local/demo/welcome/|"')).sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1));
    const names = items.map((i) => i.label);
    assert.deepEqual(names.slice(0, 6), ['production', 'staging', '1.1.0', '1.0.0', 'HEAD', 'latest']);
    assert.match(items[0].detail!, /^label → 1\.1\.0 [0-9a-f]{7}$/);
    assert.ok(names.includes('feature/x'));
    const sha = items.find((i) => i.detail === 'warmer welcome');
    assert.ok(sha, 'a recent version listed by its message');
    assert.equal((sha.textEdit as { newText: string }).newText.length, 40);
  });

  it('offers parameter names after ? with required first and given ones left out', async () => {
    assert.deepEqual(await labels('"prompt://local/demo/welcome/HEAD?|"'), ['app_name', 'seats', 'tier']);
    assert.deepEqual(await labels('"prompt://local/demo/welcome?app_name=x&|"'), ['seats', 'tier']);
  });

  it('offers enum values after =', async () => {
    assert.deepEqual(await labels('"prompt://local/demo/welcome?tier=|"'), ['free', 'premium']);
  });

  it('completes short refs inside SDK calls: ids, then versions after :', async () => {
    assert.ok((await labels('client.get("wel|")', 'python')).includes('welcome'));
    assert.ok((await labels('pf.Get("welcome:|")', 'go')).includes('production'));
  });

  it('offers nothing outside references', async () => {
    assert.deepEqual(await labels('const x = 1; |'), []);
  });
});

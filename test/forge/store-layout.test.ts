import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PromptStore, StoreError, openRepoFolder } from '../../forge/store';
import { makeRepo, promptText, type TestRepo } from '../fixtures/git/makeRepo';

describe('PromptStore history across moves, merges and deletions', () => {
  let repo: TestRepo;
  let store: PromptStore;
  before(async () => {
    repo = makeRepo({
      commits: [
        { files: { 'old/greet.prompt': promptText('v1'), 'bye.prompt': promptText('bye') }, message: 'add' },
        { files: { 'old/greet.prompt': null, 'new/greet.prompt': promptText('v1') }, message: 'move' },
        { branch: 'side', files: { 'new/greet.prompt': promptText('v2 on side') }, message: 'side edit' },
        { files: { 'bye.prompt': promptText('bye 2') }, message: 'main edit' },
        { merge: 'side', message: 'merge side' },
        { files: { 'bye.prompt': null }, message: 'drop bye' },
      ],
    });
    store = await PromptStore.open(repo.dir, { watch: false });
  });
  after(async () => {
    await store.close();
    repo.cleanup();
  });

  it('keeps one history when a file moves, reading each version at its own path', async () => {
    assert.deepEqual(store.versions('greet').map((v) => v.message), ['side edit', 'move', 'add']);
    assert.equal((await store.resolve('greet', 'HEAD~2')).path, 'old/greet.prompt');
    assert.equal((await store.resolve('greet')).path, 'new/greet.prompt');
  });

  it('sees a change merged from another branch without counting a clean merge as a version', async () => {
    assert.match((await store.resolve('greet', 'HEAD')).source, /v2 on side/);
    assert.ok(!store.versions('greet').some((v) => v.message === 'merge side'));
  });

  it('drops a deleted prompt from the list but keeps its old versions addressable', async () => {
    assert.deepEqual(store.listPrompts().map((p) => p.id), ['greet']);
    await assert.rejects(store.resolve('bye'), (e: StoreError) => e.code === 'version_not_found' && /deleted/.test(e.message));
    assert.match((await store.resolve('bye', 'HEAD~1')).source, /bye 2/);
  });
});

describe('openRepoFolder', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'pf-folder-'));
    makeRepo({ dir: root, name: 'alpha', commits: [{ files: { 'a.prompt': promptText('a') } }] });
    makeRepo({ dir: root, name: 'beta.git', bare: true, commits: [{ files: { 'b.prompt': promptText('b') } }] });
    mkdirSync(join(root, 'not-a-repo'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('opens every repository in a folder, bare or not, named by folder', async () => {
    const stores = await openRepoFolder(root, { watch: false });
    try {
      assert.deepEqual([...stores.keys()], ['alpha', 'beta']);
      assert.equal(stores.get('beta')!.listPrompts()[0].id, 'b');
    } finally {
      for (const s of stores.values()) await s.close();
    }
  });

  it('opens a folder that is itself one repository', async () => {
    const stores = await openRepoFolder(join(root, 'alpha'), { watch: false });
    assert.deepEqual([...stores.keys()], ['alpha']);
    for (const s of stores.values()) await s.close();
  });

  it('says so when a folder holds no repository', async () => {
    await assert.rejects(openRepoFolder(join(root, 'not-a-repo')), (e: StoreError) => e.code === 'repo_not_found' && e.message.includes('not-a-repo'));
    await assert.rejects(PromptStore.open(join(root, 'not-a-repo')), (e: StoreError) => e.code === 'repo_not_found');
  });
});

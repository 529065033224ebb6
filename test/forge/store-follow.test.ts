import { strict as assert } from 'node:assert';
import { PromptStore, StoreError, type StoreEvent } from '../../forge/store';
import { nextEvent } from '../fixtures/git/events';
import { git, makeRepo, promptText, type TestRepo } from '../fixtures/git/makeRepo';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('PromptStore follows changes made with plain git', () => {
  let repo: TestRepo;
  let store: PromptStore;

  beforeEach(async () => {
    repo = makeRepo({
      bare: true,
      commits: [{ files: { 'welcome.prompt': promptText('v1') }, labels: ['welcome/production'] }],
    });
    store = await PromptStore.open(repo.dir);
  });
  afterEach(async () => {
    await store.close();
    repo.cleanup();
  });

  it('picks up a label moved with git update-ref', async () => {
    const blob = repo.git('hash-object', '-w', '--stdin');
    assert.ok(blob);
    const commit = repo.git('commit-tree', '-p', repo.shas[0], '-m', 'v2', repo.git('rev-parse', `${repo.shas[0]}^{tree}`));
    const event = nextEvent(store, (e) => e.type === 'label' && e.label === 'staging');
    repo.git('update-ref', 'refs/labels/welcome/staging', commit);
    assert.deepEqual(await event, { type: 'label', repo: 'prompts', id: 'welcome', label: 'staging', from: null, to: commit });
  });

  it('picks up commits pushed from a clone, and their new versions resolve', async () => {
    const work = mkdtempSync(join(tmpdir(), 'pf-clone-'));
    try {
      git(work, ['clone', '-q', repo.dir, 'clone']);
      const clone = join(work, 'clone');
      writeFileSync(join(clone, 'welcome.prompt'), promptText('v2 from a clone'));
      git(clone, ['commit', '-qam', 'edit in a clone']);
      const event = nextEvent(store, (e) => e.type === 'version' && e.id === 'welcome');
      git(clone, ['push', '-q', 'origin', 'main']);
      const seen = await event;
      assert.equal(seen.type === 'version' && seen.branch, 'main');
      assert.match((await store.resolve('welcome', 'HEAD')).source, /v2 from a clone/);
      assert.equal(store.versions('welcome')[0].message, 'edit in a clone');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('announces a new branch by what differs from the default branch only', async () => {
    const seen: StoreEvent[] = [];
    store.on('change', (e) => seen.push(e));
    await store.commitPrompt('farewell', { content: promptText('bye'), message: 'add farewell', branch: 'drafts' }, { name: 'ann' });
    assert.deepEqual(seen.map((e) => e.type === 'version' && [e.id, e.branch]), [['farewell', 'drafts']]);
  });

  it('picks up a release tag created with git tag', async () => {
    const event = nextEvent(store, (e) => e.type === 'release');
    repo.git('tag', '-a', '-m', 'by hand', 'welcome@2.0.0', repo.shas[0]);
    assert.deepEqual(await event, { type: 'release', repo: 'prompts', id: 'welcome', version: '2.0.0', sha: repo.shas[0] });
    assert.equal((await store.resolve('welcome', '2.0.0')).release, '2.0.0');
  });

  it('ignores a label pointed at something that is not a commit, and keeps following', async () => {
    const blob = repo.git('rev-parse', `${repo.shas[0]}:welcome.prompt`);
    repo.git('update-ref', 'refs/labels/welcome/broken', blob);
    const event = nextEvent(store, (e) => e.type === 'label' && e.label === 'fine');
    repo.git('update-ref', 'refs/labels/welcome/fine', repo.shas[0]);
    await event;
    assert.deepEqual(Object.keys(store.listPrompts()[0].labels).sort(), ['fine', 'production']);
    await assert.rejects(store.resolve('welcome', 'broken'), (e: StoreError) => e.code === 'version_not_found');
  });

  it('still sees changes after refs are packed', async () => {
    repo.git('pack-refs', '--all');
    const event = nextEvent(store, (e) => e.type === 'label' && e.to === null);
    repo.git('update-ref', '-d', 'refs/labels/welcome/production');
    await event;
    assert.deepEqual(store.listPrompts()[0].labels, {});
  });

  it('announces its own writes at once', async () => {
    const seen: StoreEvent[] = [];
    store.on('change', (e) => seen.push(e));
    await store.promote('welcome', 'beta', 'HEAD', null, { name: 'ann' });
    assert.deepEqual(seen.map((e) => e.type === 'label' && e.label), ['beta'], 'the event came before promote() returned');
  });
});

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PromptStore, StoreError } from '../../forge/store';
import { makeRepo, promptText, type TestRepo } from '../fixtures/git/makeRepo';
import { rejects } from './support/storeErrors';

const ann = { name: 'Ann Admin', email: 'ann@example.com' };
const bob = { name: 'Bob' };

for (const bare of [true, false]) {
  describe(`PromptStore writes (${bare ? 'bare' : 'work-tree'} repo)`, () => {
    let repo: TestRepo;
    let store: PromptStore;

    beforeEach(async () => {
      repo = makeRepo({
        bare,
        commits: [
          { files: { 'welcome.prompt': promptText('v1') }, message: 'v1', tags: ['welcome@1.0.0'] },
          { files: { 'welcome.prompt': promptText('v2') }, message: 'v2', labels: ['welcome/production'] },
        ],
      });
      store = await PromptStore.open(repo.dir, { watch: false });
    });
    afterEach(async () => {
      await store.close();
      repo.cleanup();
    });

    it('promotes with compare-and-swap and keeps who moved the label when, from and to', async () => {
      const record = await store.promote('welcome', 'production', '1.0.0', repo.shas[1], ann);
      assert.equal(record.from, repo.shas[1]);
      assert.equal(record.to, repo.shas[0]);
      assert.equal(repo.git('rev-parse', 'refs/labels/welcome/production'), repo.shas[0]);
      assert.deepEqual(store.versions('welcome').map((v) => v.labels), [[], ['production']]);
      assert.deepEqual((await store.resolve('welcome', '1.0.0')).labels, ['production']);
      await store.promote('welcome', 'production', 'HEAD', repo.shas[0].slice(0, 8), bob);
      assert.deepEqual(store.versions('welcome').map((v) => v.labels), [['production'], []]);
      const history = await store.labelHistory('welcome', 'production');
      assert.deepEqual(history.map((h) => [h.from, h.to, h.actor.name]), [
        [repo.shas[0], repo.shas[1], 'Bob'],
        [repo.shas[1], repo.shas[0], 'Ann Admin'],
      ]);
      assert.equal((await store.resolve('welcome', 'production')).sha, repo.shas[1]);
    });

    it('creates a label only when told it must not exist, and refuses a stale expected', async () => {
      await store.promote('welcome', 'staging', 'HEAD', null, ann);
      const error = await rejects(store.promote('welcome', 'staging', '1.0.0', null, ann), 'label_conflict');
      assert.equal(error.status, 409);
      await rejects(store.promote('welcome', 'production', 'HEAD', repo.shas[0], ann), 'label_conflict');
      assert.equal(repo.git('rev-parse', 'refs/labels/welcome/production'), repo.shas[1]);
    });

    it('lets exactly one of two concurrent promotions with the same expected win', async () => {
      const other = await PromptStore.open(repo.dir, { watch: false }); // a second process's view
      try {
        const results = await Promise.allSettled([
          store.promote('welcome', 'production', '1.0.0', repo.shas[1], ann),
          other.promote('welcome', 'production', '1.0.0', repo.shas[1], bob),
          store.promote('welcome', 'production', 'HEAD~1', repo.shas[1], bob),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        assert.equal(won.length, 1);
        assert.deepEqual(lost.map((r) => (r.reason as StoreError).code), ['label_conflict', 'label_conflict']);
        assert.equal((await store.labelHistory('welcome', 'production')).length, 1);
      } finally {
        await other.close();
      }
      repo.git('fsck', '--strict', '--no-progress');
    });

    it('survives a restart: the history travels with the repo', async () => {
      await store.promote('welcome', 'production', '1.0.0', repo.shas[1], ann);
      await store.close();
      store = await PromptStore.open(repo.dir, { watch: false });
      const [move] = await store.labelHistory('welcome', 'production');
      assert.equal(move.actor.email, 'ann@example.com');
      assert.match(repo.git('log', '--format=%s', 'refs/promptforge/history'), /welcome\/production/);
    });

    it('tags immutable releases as annotated tags', async () => {
      const info = await store.release('welcome', 'v1.1.0', 'HEAD', 'Second release', ann);
      assert.equal(info.version, '1.1.0');
      assert.equal(info.sha, repo.shas[1]);
      assert.equal(repo.git('cat-file', '-t', 'refs/tags/welcome@1.1.0'), 'tag');
      assert.match(repo.git('cat-file', '-p', 'refs/tags/welcome@1.1.0'), /tagger Ann Admin <ann@example.com>[\s\S]*Second release/);
      assert.equal((await store.resolve('welcome', '1.1.0')).sha, repo.shas[1]);
      await rejects(store.release('welcome', '1.1.0', '1.0.0', undefined, ann), 'release_exists');
      await rejects(store.release('welcome', '1.0', 'HEAD', undefined, ann), 'invalid_name');
    });

    it('commits a new version with plumbing, leaving any work tree alone', async () => {
      const result = await store.commitPrompt('welcome', { content: promptText('v3'), base: repo.shas[1], message: 'v3 by Bob' }, bob);
      assert.equal(result.path, 'welcome.prompt');
      assert.equal(store.versions('welcome')[0].sha, result.sha);
      assert.equal(repo.git('log', '-1', '--format=%an|%s', 'main'), 'Bob|v3 by Bob');
      assert.match((await store.resolve('welcome')).source, /v3/);
      if (!bare) assert.match(readFileSync(join(repo.dir, 'welcome.prompt'), 'utf8'), /v2/, 'the checked-out file is untouched');
      repo.git('fsck', '--strict', '--no-progress');
    });

    it('refuses a commit when the prompt moved past the base (409)', async () => {
      await store.commitPrompt('welcome', { content: promptText('v3'), base: repo.shas[1], message: 'v3' }, bob);
      const error = await rejects(store.commitPrompt('welcome', { content: promptText('v3b'), base: repo.shas[1], message: 'stale' }, ann), 'branch_conflict');
      assert.equal(error.status, 409);
      await rejects(store.commitPrompt('welcome', { content: promptText('again'), message: 'no base' }, ann), 'branch_conflict');
    });

    it('creates new prompts and new branches', async () => {
      const created = await store.commitPrompt('farewell', { content: promptText('Bye'), message: 'add farewell', path: 'team/farewell.prompt' }, ann);
      assert.equal(created.path, 'team/farewell.prompt');
      assert.ok(store.listPrompts().some((p) => p.id === 'farewell'));
      const draft = await store.commitPrompt('welcome', { content: promptText('draft'), base: repo.shas[1], message: 'draft', branch: 'drafts/ann' }, ann);
      assert.equal(draft.branch, 'drafts/ann');
      assert.equal((await store.resolve('welcome', 'drafts/ann')).sha, draft.sha);
      assert.equal((await store.resolve('welcome', 'HEAD')).sha, repo.shas[1]);
    });

    it('starts a new branch at an older base, leaving the default branch where it is', async () => {
      const draft = await store.commitPrompt('welcome', { content: promptText('v1, reworded'), base: repo.shas[0].slice(0, 10), message: 'rework v1', branch: 'review/welcome-1' }, ann);
      assert.equal(repo.git('rev-parse', `${draft.sha}^`), repo.shas[0], 'the draft descends from the version it was written against');
      assert.match((await store.resolve('welcome', 'review/welcome-1')).source, /v1, reworded/);
      assert.equal(repo.git('rev-parse', 'main'), repo.shas[1]);
      await rejects(store.commitPrompt('welcome', { content: promptText('x'), base: 'deadbeefdeadbeef', message: 'x', branch: 'review/none' }, ann), 'branch_conflict');
      repo.git('fsck', '--strict', '--no-progress');
    });

    it('rejects an invalid file with 422 and line:column positions', async () => {
      const error = await rejects(store.commitPrompt('welcome', { content: '---\ndescription: [unclosed\n---\nbody\n', base: repo.shas[1], message: 'bad' }, ann), 'invalid_prompt');
      assert.equal(error.status, 422);
      const { problems } = error.details as { problems: { start: { line: number; character: number } }[] };
      assert.ok(problems.length > 0);
      assert.equal(typeof problems[0].start.line, 'number');
      assert.match(error.message, /welcome\.prompt:\d+:\d+/);
      assert.equal(repo.git('rev-parse', 'main'), repo.shas[1]);
    });
  });
}

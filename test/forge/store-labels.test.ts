/**
 * Labels that would shadow another version form are refused, labels can be deleted
 * (compare-and-swap, kept in the history, announced), a leftover ref lock is named at
 * once, and an oversized commit message gets its own code and the limit.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PromptStore, type StoreEvent } from '../../forge/store';
import { makeRepo, promptText, type TestRepo } from '../fixtures/git/makeRepo';
import { rejects } from './support/storeErrors';

const ann = { name: 'Ann' };

describe('PromptStore labels, locks and messages', () => {
  let repo: TestRepo;
  let store: PromptStore;

  beforeEach(async () => {
    repo = makeRepo({
      bare: true,
      commits: [
        { files: { 'welcome.prompt': promptText('v1') }, tags: ['welcome@1.0.0'] },
        { files: { 'welcome.prompt': promptText('v2') }, labels: ['welcome/production', 'welcome/staging'] },
        { branch: 'feature', files: { 'welcome.prompt': promptText('v3 draft') } },
      ],
    });
    store = await PromptStore.open(repo.dir, { watch: false });
  });
  afterEach(async () => {
    await store.close();
    repo.cleanup();
  });

  for (const [label, why] of [
    ['v1.0.0', /release 1\.0\.0/],
    ['v2.0.0', /release 2\.0\.0/],
    ['x', /range/],
    ['deadbeef', /commit SHA/],
    ['HEAD', /reserved/],
    ['latest', /reserved/],
    ['main', /branch "main"/],
    ['feature', /branch "feature"/],
  ] as const) {
    it(`refuses to create or move a label named ${label} (422 invalid_label), leaving no ref`, async () => {
      const error = await rejects(store.promote('welcome', label, 'HEAD', undefined, ann), 'invalid_label');
      assert.equal(error.status, 422);
      assert.match(error.message, why);
      assert.equal(repo.git('for-each-ref', `refs/labels/welcome/${label}`), '');
    });
  }

  it('keeps v1.0.0 meaning the release after a refused label', async () => {
    await rejects(store.promote('welcome', 'v1.0.0', 'HEAD', undefined, ann), 'invalid_label');
    assert.equal((await store.resolve('welcome', 'v1.0.0')).sha, repo.shas[0]);
  });

  it('deletes a label by compare-and-swap, keeps the deletion in the history and announces it', async () => {
    const events: StoreEvent[] = [];
    store.on('change', (e) => events.push(e));
    await rejects(store.deleteLabel('welcome', 'staging', repo.shas[0], ann), 'label_conflict');
    await rejects(store.deleteLabel('welcome', 'nope', repo.shas[1], ann), 'label_not_found');
    const record = await store.deleteLabel('welcome', 'staging', repo.shas[1].slice(0, 10), ann);
    assert.deepEqual([record.from, record.to], [repo.shas[1], null]);
    assert.equal(repo.git('for-each-ref', 'refs/labels/welcome/staging'), '');
    assert.deepEqual(store.versions('welcome').map((v) => v.labels), [['production'], []]);
    await rejects(store.resolve('welcome', 'staging'), 'version_not_found');
    const history = await store.labelHistory('welcome', 'staging');
    assert.deepEqual(history.map((h) => [h.from, h.to, h.actor.name]), [[repo.shas[1], null, 'Ann']]);
    assert.deepEqual(events, [{ type: 'label', repo: 'prompts', id: 'welcome', label: 'staging', from: repo.shas[1], to: null }]);
    await store.promote('welcome', 'staging', '1.0.0', null, ann); // the name is free again
    assert.equal((await store.labelHistory('welcome', 'staging')).length, 2);
    repo.git('fsck', '--strict', '--no-progress');
  });

  it('deletes a shadowing label made with plain git', async () => {
    repo.git('update-ref', 'refs/labels/welcome/v1.0.0', repo.shas[1]);
    await store.refresh();
    assert.equal((await store.resolve('welcome', 'v1.0.0')).sha, repo.shas[1], 'the label shadows the release');
    await store.deleteLabel('welcome', 'v1.0.0', repo.shas[1], ann);
    assert.equal((await store.resolve('welcome', 'v1.0.0')).sha, repo.shas[0]);
  });

  it('names a leftover lock file at once instead of retrying (409 ref_locked)', async () => {
    const lock = join(repo.dir, 'refs', 'labels', 'welcome', 'staging.lock');
    writeFileSync(lock, '');
    // The first refused update answers; before, eight retries ended in a misleading label_conflict.
    const error = await rejects(store.promote('welcome', 'staging', '1.0.0', repo.shas[1], ann), 'ref_locked');
    assert.equal(error.status, 409);
    assert.ok(error.message.includes(lock), error.message);
    assert.match(error.message, /If no git process is running in this repository, delete .*staging\.lock/);
  });

  it('refuses a commit message over the limit with invalid_message and states the limit', async () => {
    const long = 'x'.repeat(64 * 1024 + 1);
    const error = await rejects(store.commitPrompt('welcome', { content: promptText('v3'), base: repo.shas[1], message: long }, ann), 'invalid_message');
    assert.equal(error.status, 400);
    assert.match(error.message, /commit message is 65537 characters long; the limit is 65536 characters/);
    await rejects(store.commitPrompt('welcome', { content: promptText('v3'), base: repo.shas[1], message: 'a\0b' }, ann), 'invalid_message');
    await rejects(store.release('welcome', '1.1.0', 'HEAD', long, ann), 'invalid_message');
  });
});

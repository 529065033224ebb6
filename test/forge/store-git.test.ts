import { strict as assert } from 'node:assert';
import { PromptStore } from '../../forge/store';
import { ObjectReader } from '../../forge/store/git/catFile';
import { findGitDir } from '../../forge/store/git/gitDir';
import { makeRepo, promptText, type TestRepo } from '../fixtures/git/makeRepo';

describe('git cat-file batch reader', () => {
  let repo: TestRepo;
  let reader: ObjectReader;

  before(async () => {
    repo = makeRepo({ commits: [{ files: { 'a.prompt': promptText('hello'), 'b.prompt': promptText('world') } }] });
    reader = new ObjectReader(await findGitDir(repo.dir));
  });
  after(() => {
    reader.close();
    repo.cleanup();
  });

  it('reads blobs by name and answers null for missing objects', async () => {
    const [a, missing, b] = await Promise.all([reader.blob(`${repo.shas[0]}:a.prompt`), reader.blob('0'.repeat(40)), reader.blob(`${repo.shas[0]}:b.prompt`)]);
    assert.match(a!.toString(), /hello/);
    assert.equal(missing, null);
    assert.match(b!.toString(), /world/);
    assert.equal((await reader.info(`${repo.shas[0]}:a.prompt`))?.type, 'blob');
  });

  it('restarts a killed cat-file process and answers what was pending', async () => {
    await reader.blob(`${repo.shas[0]}:a.prompt`);
    const first = reader.batch.pid!;
    const pending = reader.blob(`${repo.shas[0]}:b.prompt`);
    process.kill(first, 'SIGKILL');
    assert.match((await pending)!.toString(), /world/);
    const again = await reader.object(`${repo.shas[0]}:a.prompt`);
    assert.match(again!.content!.toString(), /hello/);
    assert.notEqual(reader.batch.pid, first);
  });

  it('refuses object names with line breaks instead of sending them', async () => {
    await assert.rejects(reader.blob('HEAD\n--batch-all-objects'), /line break/);
  });
});

describe('PromptStore reads without starting git', () => {
  let repo: TestRepo;
  let store: PromptStore;
  before(async () => {
    repo = makeRepo({
      commits: [
        { files: { 'a.prompt': promptText('hello {{> b}}'), 'b.prompt': promptText('world') }, tags: ['a@1.0.0'], labels: ['a/production'] },
        { files: { 'a.prompt': promptText('hello again {{> b}}') } },
      ],
    });
    store = await PromptStore.open(repo.dir, { watch: false });
    await store.promote('a', 'staging', 'HEAD', null, { name: 'ann' });
  });
  after(async () => {
    await store.close();
    repo.cleanup();
  });

  it('answers lists, resolves, renders, diffs and label history from the index and the batch processes', async () => {
    const childProcess = require('node:child_process') as typeof import('node:child_process');
    const original = childProcess.spawn;
    let spawned = 0;
    childProcess.spawn = ((...args: Parameters<typeof original>) => {
      spawned++;
      return original(...args);
    }) as typeof original;
    try {
      await store.resolve('a'); // warm: the batch processes exist from here on
      spawned = 0;
      for (let i = 0; i < 20; i++) {
        store.listPrompts();
        store.versions('a');
        await store.resolve('a', i % 2 ? 'production' : '^1');
        await store.render('a', 'HEAD~1', {});
        await store.diff('a', 'production', 'staging');
        await store.labelHistory('a', 'staging');
      }
    } finally {
      childProcess.spawn = original;
    }
    assert.equal(spawned, 0);
  });
});

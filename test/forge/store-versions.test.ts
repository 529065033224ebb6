import { strict as assert } from 'node:assert';
import { PromptStore } from '../../forge/store';
import { makeRepo, promptText, type TestRepo } from '../fixtures/git/makeRepo';
import { rejects } from './support/storeErrors';

describe('PromptStore resolves every version form through core', () => {
  let repo: TestRepo;
  let store: PromptStore;
  const v = (n: number) => promptText(`version ${n}`);

  before(async () => {
    repo = makeRepo({
      commits: [
        { files: { 'w.prompt': v(0), 'plain.prompt': v(0) }, tags: ['w@1.0.0'] },
        { files: { 'w.prompt': v(1) }, tags: ['w@1.1.0'], labels: ['w/production'] },
        { files: { 'w.prompt': v(2) }, tags: ['w@2.0.0-beta.1'] },
        { files: { 'w.prompt': v(3) }, tags: ['w@2.0.0-beta.2', 'w@2.0.0-rc.1'], labels: ['w/rc'] },
        { files: { 'w.prompt': v(4) }, labels: ['w/staging'] },
        { branch: 'exp/one', files: { 'w.prompt': v(5) } },
      ],
    });
    store = await PromptStore.open(repo.dir, { watch: false });
  });
  after(async () => {
    await store.close();
    repo.cleanup();
  });

  const forms: [spec: string, commit: number, kind: string][] = [
    ['HEAD', 4, 'head'],
    ['main/HEAD', 4, 'branch-head'],
    ['exp/one/HEAD', 5, 'branch-head'],
    ['main', 4, 'branch'],
    ['exp/one', 5, 'branch'],
    ['production', 1, 'label'],
    ['staging', 4, 'label'],
    ['1.0.0', 0, 'release'],
    ['v1.1.0', 1, 'release'],
    ['^1.0', 1, 'range'],
    ['~1.0.0', 0, 'range'],
    ['1.x', 1, 'range'],
    ['>=1.0.0 <2.0.0', 1, 'range'],
    ['>=2.0.0-beta.1', 3, 'range'],
    ['latest', 1, 'latest'],
    ['beta', 3, 'channel'],
    ['rc', 3, 'label'], // a label of that name wins over the channel
    ['production~1', 0, 'label'],
    ['HEAD~2', 2, 'head'],
    ['latest~1', 0, 'latest'],
    ['1.1.0~1', 0, 'release'],
  ];
  for (const [spec, commit, kind] of forms) {
    it(`${spec} → commit ${commit} (${kind})`, async () => {
      const resolved = await store.resolve('w', spec);
      assert.equal(resolved.sha, repo.shas[commit]);
      assert.equal(resolved.kind, kind);
      assert.equal(resolved.source, v(commit));
    });
  }

  it('resolves a sha prefix to the version in effect at that commit', async () => {
    assert.equal((await store.resolve('w', repo.shas[2].slice(0, 7))).sha, repo.shas[2]);
    assert.equal((await store.resolve('plain', repo.shas[3])).sha, repo.shas[0]);
    assert.equal((await store.resolve('w', repo.shas[3])).release, '2.0.0-rc.1');
  });

  it('takes latest as HEAD for a prompt without releases', async () => {
    assert.equal((await store.resolve('plain', 'latest')).sha, repo.shas[0]);
  });

  it('answers misses with core\'s message and candidates', async () => {
    const miss = await rejects(store.resolve('w', '^3'), 'version_not_found');
    assert.match(miss.message, /\^3/);
    await rejects(store.resolve('w', 'alpha'), 'version_not_found');
    await rejects(store.resolve('w', 'HEAD~9'), 'version_not_found');
    const typo = await rejects(store.resolve('w', 'stagign'), 'version_not_found');
    assert.match(typo.message, /staging/);
    await rejects(store.resolve('w', 'a..b'), 'invalid_name');
  });
});

describe('PromptStore ambiguity between branches and commits', () => {
  let repo: TestRepo;
  let store: PromptStore;
  before(async () => {
    repo = makeRepo({ commits: [{ files: { 'a.prompt': promptText('one') } }, { files: { 'a.prompt': promptText('two') } }] });
    // A branch whose name is a prefix of a real commit sha (GitLab CVE-2022-2417).
    repo.git('branch', repo.shas[1].slice(0, 8), repo.shas[0]);
    repo.git('branch', 'ff'.repeat(20), repo.shas[0]);
    store = await PromptStore.open(repo.dir, { watch: false });
  });
  after(async () => {
    await store.close();
    repo.cleanup();
  });

  it('refuses a spec that names both a branch and a commit, naming both', async () => {
    const prefix = repo.shas[1].slice(0, 8);
    const error = await rejects(store.resolve('a', prefix), 'ambiguous_version');
    assert.equal(error.status, 400);
    assert.deepEqual((error.details as { candidates: string[] }).candidates, [`${prefix}/HEAD`, repo.shas[1]]);
    assert.equal((await store.resolve('a', `${prefix}/HEAD`)).sha, repo.shas[0]);
  });

  it('reads a 40-hex branch as a branch, never as a commit', async () => {
    assert.equal((await store.resolve('a', 'ff'.repeat(20))).sha, repo.shas[0]);
  });
});

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import fc from 'fast-check';
import { PromptStore, StoreError, validateBranch, validateLabel, validatePromptId, validateRepoName, validateReleaseVersion, validateVersionSpec } from '../../forge/store';
import { makeRepo, promptText, type TestRepo } from '../fixtures/git/makeRepo';

const hostile = ['-x', '--upload-pack=touch /tmp/pwned', '..', 'a..b', '@{-1}', 'main@{1}', 'refs/heads/main', 'a\0b', 'a\nb', 'a b', '', '.hidden', 'x.lock', 'a/../b', '~1', '^', 'a:b'];

function checkRefFormat(name: string): Promise<boolean> {
  return new Promise((resolve) => {
    // Only names we accepted get here, and none of those starts with "-".
    const child = spawn('git', ['check-ref-format', '--branch', name], { stdio: 'ignore' });
    child.on('close', (code) => resolve(code === 0));
  });
}

describe('store name validation', () => {
  for (const name of hostile) {
    it(`rejects ${JSON.stringify(name)} as an id, label and repo name`, () => {
      for (const validate of [validatePromptId, validateLabel, validateRepoName]) {
        assert.throws(() => validate(name), (e: StoreError) => e.code === 'invalid_name' && e.status === 400);
      }
    });
  }

  it('rejects branch names that git or we would misread', () => {
    for (const name of ['-x', '--upload-pack=x', 'a..b', 'a@{1}', '@', 'refs/heads/x', 'a//b', 'a/', '/a', 'a.lock', 'a/.b', 'a b', 'a~1', 'a^', 'a:b', 'a?', 'a*', 'a[', 'a\\b', 'a\0', 'HEAD', 'x.']) {
      assert.throws(() => validateBranch(name), (e: StoreError) => e.code === 'invalid_name', name);
    }
    assert.equal(validateBranch('feature/x'), 'feature/x');
    assert.equal(validateBranch('a'.repeat(8) + '0'.repeat(32)), 'a'.repeat(8) + '0'.repeat(32));
    assert.throws(() => validateBranch('deadbeefcafe', true), /looks like a commit sha/);
  });

  it('refuses labels that would shadow another version form', () => {
    for (const name of ['latest', 'HEAD', '1.2.3', 'v1.2.3', '2', '1.x', 'x', 'deadbeef', '1abc']) {
      assert.throws(() => validateLabel(name), (e: StoreError) => e.code === 'invalid_label' && e.status === 422, name);
    }
    assert.throws(() => validateLabel('main', ['main', 'dev']), (e: StoreError) => e.code === 'invalid_label' && /branch "main"/.test(e.message));
    assert.equal(validateLabel('production', ['main']), 'production');
    assert.equal(validateLabel('beta'), 'beta', 'a label may take a channel name: it is looked up first, by design');
  });

  it('normalises release versions and rejects non-semver', () => {
    assert.equal(validateReleaseVersion('v1.2.3'), '1.2.3');
    assert.equal(validateReleaseVersion('1.0.0-beta.1'), '1.0.0-beta.1');
    for (const v of ['1.2', 'x', '-1.0.0', '01.0.0', '1.0.0 ']) assert.throws(() => validateReleaseVersion(v), StoreError, v);
  });

  it('accepts every branch it lets through that git also accepts (property)', async () => {
    const chars = fc.constantFrom(...'ab/.-_@{}~^:?*[\\ 09xZ'.split(''));
    const samples = fc.sample(fc.string({ unit: chars, minLength: 1, maxLength: 12 }), 150);
    for (const name of samples) {
      let ours = true;
      try {
        validateBranch(name);
      } catch {
        ours = false;
      }
      if (ours) assert.ok(await checkRefFormat(name), `we accepted ${JSON.stringify(name)} but git refuses it`);
    }
  });

  it('refuses versions with surrounding spaces, so " -x" cannot slip through as "-x"', () => {
    for (const v of [' -x', ' production ', '-x', 'a..b', 'main@{1}', 'a\0b']) {
      assert.throws(() => validateVersionSpec(v), (e: StoreError) => e.code === 'invalid_name' && e.status === 400, v);
    }
    assert.equal(validateVersionSpec('>=1.0.0 <2.0.0'), '>=1.0.0 <2.0.0');
  });

  it('never lets an accepted id, label or version start with "-" or hold control characters (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        for (const validate of [validatePromptId, validateLabel, validateVersionSpec]) {
          let accepted: string | null = null;
          try {
            accepted = validate(text);
          } catch (error) {
            assert.ok(error instanceof StoreError && (error.code === 'invalid_name' || error.code === 'invalid_label'));
          }
          if (accepted !== null) assert.ok(!accepted.startsWith('-') && !/[\x00-\x1f\x7f]/.test(accepted));
        }
      }),
    );
  });
});

describe('PromptStore rejects hostile names before calling git', () => {
  let repo: TestRepo;
  let store: PromptStore;
  before(async () => {
    repo = makeRepo({ commits: [{ files: { 'welcome.prompt': promptText('v1') } }] });
    store = await PromptStore.open(repo.dir, { watch: false });
  });
  after(async () => {
    await store.close();
    repo.cleanup();
  });

  const actor = { name: 'ann' };
  for (const name of ['-x', '--upload-pack=touch /tmp/pwned', '..', 'refs/heads/main', 'a\0b']) {
    it(`refuses ${JSON.stringify(name)} everywhere with 400 invalid_name`, async () => {
      const head = repo.git('for-each-ref');
      const attempts: (() => Promise<unknown>)[] = [
        () => store.resolve(name),
        () => store.promote('welcome', name, 'HEAD', null, actor),
        () => store.promote(name, 'production', 'HEAD', null, actor),
        () => store.release('welcome', name, 'HEAD', undefined, actor),
        () => store.commitPrompt('welcome', { content: promptText('x'), message: 'm', branch: name }, actor),
        () => store.labelHistory('welcome', name),
      ];
      for (const attempt of attempts) await assert.rejects(attempt(), (e: StoreError) => e.code === 'invalid_name' && e.status === 400);
      // A refs/ path is a valid spec, but names no branch: it must not reach refs/heads/main.
      const code = name === 'refs/heads/main' ? 'version_not_found' : 'invalid_name';
      await assert.rejects(store.resolve('welcome', name), (e: StoreError) => e.code === code);
      assert.equal(repo.git('for-each-ref'), head, 'no ref changed');
    });
  }

  it('refuses actors that would forge a git identity', async () => {
    await assert.rejects(store.promote('welcome', 'beta', 'HEAD', null, { name: 'Eve <eve@x> 0 +0000\ncommitter' }), (e: StoreError) => e.code === 'invalid_name');
  });
});

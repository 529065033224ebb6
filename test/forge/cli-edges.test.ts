/**
 * The command line where a new user trips: the repos `init` and `demo` create are clean
 * clones, every failure is one line with the documented exit code, and keys can be
 * listed and removed as well as added.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDemo, runCli, tempDir } from './apiServer';

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();

describe('promptforge CLI: new repos, errors and keys', function () {
  this.timeout(60_000); // tests run several CLI processes each
  let tmp: ReturnType<typeof tempDir>;
  before(() => (tmp = tempDir('pf-cli-edges-')));
  after(() => tmp?.cleanup());

  it('init leaves a clean clone: the example prompt is in the work tree and git status is empty', () => {
    const dir = join(tmp.dir, 'fresh');
    const out = runCli(['init', dir]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(git(dir, 'status', '--porcelain'), '');
    assert.equal(readFileSync(join(dir, 'hello.prompt'), 'utf8'), git(dir, 'show', 'HEAD:hello.prompt') + '\n');
    // The user's next commit adds to the prompts instead of deleting them.
    writeFileSync(join(dir, 'notes.md'), 'x\n');
    git(dir, 'add', 'notes.md');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '--quiet', '-m', 'notes');
    assert.deepEqual(git(dir, 'ls-tree', '--name-only', 'HEAD').split('\n'), ['hello.prompt', 'notes.md']);
  });

  it('demo leaves a clean clone of main with every prompt present', () => {
    const dir = makeDemo(tmp.dir);
    assert.equal(git(dir, 'status', '--porcelain'), '');
    for (const file of git(dir, 'ls-tree', '--name-only', 'main').split('\n')) assert.ok(existsSync(join(dir, file)), file);
  });

  it('prints every failure as one line with exit 1 (failed) or 2 (wrong use)', () => {
    const cases: [string[], number, RegExp][] = [
      [['lint', '/dev/null'], 1, /^promptforge lint: \/dev\/null: not a folder$/],
      [['init', '/proc/nope/repo'], 1, /^promptforge init: cannot create a git repository in \/proc\/nope\/repo: .*(No such file|cannot mkdir)/],
      [['serve', '--port', 'abc'], 2, /^promptforge serve: --port: must be an integer from 0 to 65535 \(got "abc"\) \(see promptforge serve --help\)$/],
      [['release', 'welcome'], 2, /^promptforge release: missing VERSION \(see promptforge release --help\)$/],
      [['promote', '--bogus'], 2, /^promptforge promote: Unknown option '--bogus' \(see promptforge promote --help\)$/],
      [['keys', 'drop', 'x'], 2, /^promptforge keys: unknown keys action "drop"/],
    ];
    for (const [args, code, message] of cases) {
      const out = runCli(args);
      assert.equal(out.code, code, args.join(' '));
      assert.equal(out.stderr.trimEnd().split('\n').length, 1, `${args.join(' ')}: ${out.stderr}`);
      assert.match(out.stderr.trimEnd(), message);
    }
  });

  it('lists keys by name and role without secrets, and removes one keeping the rest of the file', () => {
    const config = join(tmp.dir, 'forge.yaml');
    writeFileSync(config, '# my forge\nrepos:\n  demo: ./demo\n');
    const secrets = ['ci', 'ops'].map((name, i) => runCli(['keys', 'add', name, '--role', i ? 'admin' : 'write', '--config', config]).stdout.trim());
    const listed = runCli(['keys', 'list', '--config', config]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(listed.stdout.trimEnd().split('\n').map((l) => l.split(/\s+/)), [['ci', 'write'], ['ops', 'admin']]);
    for (const secret of secrets) assert.ok(!listed.stdout.includes(secret));
    assert.doesNotMatch(listed.stdout, /sha256|[0-9a-f]{16}/);

    const removed = runCli(['keys', 'remove', 'ci', '--config', config]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stderr, /removed key "ci"/);
    const text = readFileSync(config, 'utf8');
    assert.match(text, /^# my forge\nrepos:\n {2}demo: \.\/demo\n/);
    assert.doesNotMatch(text, /name: ci/);
    assert.equal(runCli(['keys', 'list', '--config', config]).stdout.trim().split(/\s+/).join(' '), 'ops admin');

    const unknown = runCli(['keys', 'remove', 'ci', '--config', config]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no key named "ci"; keys: ops/);
    const missing = runCli(['keys', 'list', '--config', join(tmp.dir, 'none.yaml')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /none\.yaml: config file not found/);
  });
});

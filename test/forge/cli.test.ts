/** The `promptforge` command line, run as a real process: demo, init, resolve, promote, release, lint, help. */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, makeDemo, runCli, startForge, tempDir } from './apiServer';

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();

describe('promptforge CLI', function () {
  this.timeout(60_000); // tests run a dozen CLI processes each
  let tmp: ReturnType<typeof tempDir>;
  let demo: string;

  before(() => {
    tmp = tempDir('pf-cli-');
    demo = makeDemo(tmp.dir);
  });
  after(() => tmp?.cleanup());

  it('prints help for the tool and for every command, and exits 2 on wrong use', () => {
    const overview = runCli(['--help']);
    assert.equal(overview.code, 0);
    for (const name of ['serve', 'init', 'demo', 'resolve', 'promote', 'release', 'lint', 'keys']) {
      assert.match(overview.stdout, new RegExp(`^  ${name} `, 'm'));
      const help = runCli([name, '--help']);
      assert.equal(help.code, 0, name);
      assert.match(help.stdout, new RegExp(`^Usage: promptforge ${name}`), name);
    }
    assert.equal(runCli([]).code, 2);
    const unknown = runCli(['deploy']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "deploy"/);
    const option = runCli(['promote', '--bogus']);
    assert.equal(option.code, 2);
    assert.match(option.stderr, /^promptforge promote: Unknown option '--bogus'/);
    const args = runCli(['release', 'welcome']);
    assert.equal(args.code, 2);
    assert.match(args.stderr, /missing VERSION/);
  });

  it('builds the demo repository with history, releases, labels, a chat prompt, a partial and a deprecated prompt', () => {
    assert.deepEqual(git(demo, 'ls-tree', '--name-only', 'main').split('\n'), [
      'classify-intent.prompt',
      'legacy-greeting.prompt',
      'signature.prompt',
      'summarize-ticket.prompt',
      'support-chat.prompt',
      'welcome.prompt',
    ]);
    assert.ok(Number(git(demo, 'rev-list', '--count', 'main')) >= 10, 'several commits');
    assert.deepEqual(git(demo, 'tag', '--list').split('\n'), ['support-chat@1.0.0', 'welcome@1.0.0', 'welcome@1.1.0', 'welcome@2.0.0-beta.1']);
    const production = git(demo, 'rev-parse', 'refs/labels/welcome/production');
    assert.equal(production, git(demo, 'rev-parse', 'welcome@1.1.0^{commit}'));
    assert.notEqual(git(demo, 'rev-parse', 'refs/labels/welcome/staging'), production);
    assert.notEqual(git(demo, 'rev-parse', 'refs/labels/support-chat/staging'), git(demo, 'rev-parse', 'refs/labels/support-chat/production'));
    const welcome = git(demo, 'show', 'main:welcome.prompt');
    assert.match(welcome, /app_name: \{ type: string, required: true/);
    assert.match(welcome, /tier: +\{ type: string, enum: \[free, premium\]/);
    assert.match(welcome, /\{\{> signature\}\}/);
    assert.match(git(demo, 'show', 'main:support-chat.prompt'), /^type: chat$/m);
    assert.match(git(demo, 'show', 'main:legacy-greeting.prompt'), /^status: deprecated$/m);
    assert.equal(git(demo, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main');
    assert.ok(git(demo, 'rev-parse', 'experiment/short-welcome'));
    assert.ok(git(demo, 'rev-parse', 'refs/promptforge/history'), 'label moves have a promotion history');
    assert.deepEqual(new Set(git(demo, 'log', '--format=%an', 'main').split('\n')), new Set(['Ada Park', 'Ben Ortiz']));
    git(demo, 'fsck', '--strict', '--no-progress');
    const again = runCli(['demo', demo]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /is not empty/);
  });

  it('creates a new repository with init that lints clean and resolves', () => {
    const dir = join(tmp.dir, 'fresh');
    const out = runCli(['init', dir]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(git(dir, 'ls-tree', '--name-only', 'main'), 'hello.prompt');
    assert.equal(runCli(['lint', dir]).code, 0);
    const resolved = runCli(['resolve', 'prompt://localhost/fresh/hello?name=Sam', '--repo', dir]);
    assert.equal(resolved.code, 0, resolved.stderr);
    assert.equal(resolved.stdout, 'Write a short friendly greeting for Sam.\n');
  });

  it('resolves locally: text, chat messages, --param, --json, and one-line errors', () => {
    const text = runCli(['resolve', 'prompt://localhost/demo/welcome/1.0.0?app_name=Acme', '--param', 'tier=premium', '--repo', `demo=${demo}`]);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout, 'Welcome to Acme! You are on the premium plan.\n— The Acme team\n');
    const chat = runCli(['resolve', 'prompt://localhost/demo/support-chat/production', '--param', 'customer_name=Jo', '--param', 'product=Acme', '--param', 'question=hi', '--repo', `demo=${demo}`]);
    assert.match(chat.stdout, /^system:\nYou are a patient support agent for Acme\./);
    assert.match(chat.stdout, /\nuser:\nJo asks: hi\n$/);
    const json = JSON.parse(runCli(['resolve', 'prompt://localhost/demo/welcome/production?app_name=Acme', '--json', '--repo', `demo=${demo}`]).stdout);
    assert.equal(json.sha, git(demo, 'rev-parse', 'refs/labels/welcome/production'));
    assert.equal(json.release, '1.1.0');
    const missing = runCli(['resolve', 'prompt://localhost/demo/welcome', '--repo', `demo=${demo}`]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /app_name/);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    const bad = runCli(['resolve', 'prompt://localhost/demo/', '--repo', `demo=${demo}`]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /invalid prompt URI/);
  });

  it('resolves, promotes and releases against a running forge with --url', async () => {
    const forge = await startForge(['--repo', `demo=${demo}`]);
    try {
      const remote = (args: string[]) =>
        new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
          execFile(process.execPath, [CLI, ...args], (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }));
        });
      const resolved = await remote(['resolve', 'prompt://localhost/demo/welcome/production?app_name=Acme', '--url', forge.url]);
      assert.equal(resolved.code, 0, resolved.stderr);
      assert.match(resolved.stdout, /^Welcome to Acme, there!/);
      const staging = git(demo, 'rev-parse', 'refs/labels/welcome/staging');
      const promoted = await remote(['promote', 'welcome', 'staging', '1.0.0', '--expected', staging, '--url', forge.url, '--repo', 'demo']);
      assert.equal(promoted.code, 0, promoted.stderr);
      assert.equal(git(demo, 'rev-parse', 'refs/labels/welcome/staging'), git(demo, 'rev-parse', 'welcome@1.0.0^{commit}'));
      const stale = await remote(['promote', 'welcome', 'staging', 'HEAD', '--expected', staging, '--url', forge.url, '--repo', 'demo']);
      assert.equal(stale.code, 1);
      assert.match(stale.stderr, /label_conflict/);
      const released = await remote(['release', 'classify-intent', '1.0.0', '--url', forge.url, '--repo', 'demo']);
      assert.equal(released.code, 0, released.stderr);
      assert.ok(git(demo, 'rev-parse', 'classify-intent@1.0.0'));
    } finally {
      await forge.stop();
    }
  });

  it('promotes and releases in a local repository with compare-and-swap', () => {
    const local = ['--repo', demo];
    const created = runCli(['promote', 'summarize-ticket', 'production', 'HEAD', '--expected', 'none', '--as', 'dana', ...local]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^summarize-ticket production: \(new\) → [0-9a-f]{12}\n$/);
    const again = runCli(['promote', 'summarize-ticket', 'production', 'HEAD', '--expected', 'none', ...local]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /label "production" of "summarize-ticket" was expected to not exist/);
    const release = runCli(['release', 'summarize-ticket', 'v1.0.0', '--notes', 'first', ...local]);
    assert.equal(release.code, 0, release.stderr);
    assert.equal(git(demo, 'tag', '-l', '--format=%(contents:subject)', 'summarize-ticket@1.0.0'), 'first');
    const duplicate = runCli(['release', 'summarize-ticket', '1.0.0', ...local]);
    assert.equal(duplicate.code, 1);
    assert.match(duplicate.stderr, /already exists/);
    const hostile = runCli(['promote', 'summarize-ticket', '--upload-pack=x', 'HEAD', ...local]);
    assert.notEqual(hostile.code, 0);
  });

  it('lints .prompt files with file:line:col messages and CI exit codes', () => {
    const dir = join(tmp.dir, 'lint');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    mkdirSync(join(dir, '.hidden'));
    writeFileSync(join(dir, 'good.prompt'), '---\ndescription: fine\nparams:\n  name: { type: string }\n---\nHello {{name}}\n');
    writeFileSync(join(dir, '.hidden', 'ignored.prompt'), '---\nparams: [\n---\n');
    assert.equal(runCli(['lint', dir]).code, 0);
    writeFileSync(join(dir, 'sub', 'bad.prompt'), '---\nparams:\n  x: { type: strin }\n---\nHi {{x}\n');
    const out = runCli(['lint', dir], { cwd: dir });
    assert.equal(out.code, 1);
    const lines = out.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^sub\/bad\.prompt:3:\d+: error: .*strin.* \[invalid_param_schema\]$/);
    assert.match(lines[1], /^sub\/bad\.prompt:5:4: error: .* \[unclosed_tag\]$/);
    const missing = runCli(['lint', join(dir, 'nope')]);
    assert.equal(missing.code, 2);
    assert.match(readFileSync(join(dir, 'good.prompt'), 'utf8'), /Hello \{\{name\}\}\n$/, 'lint never writes');
  });

  it('lints the repo as a whole: includes, cycles, params, and labels that shadow versions', () => {
    const dir = join(tmp.dir, 'lint-repo');
    mkdirSync(join(dir, 'partials'), { recursive: true });
    const file = (body: string, params = '') => `---\ndescription: t\n${params ? `params:\n${params}` : ''}---\n${body}\n`;
    writeFileSync(join(dir, 'selfy.prompt'), file('S {{> selfy}}'));
    writeFileSync(join(dir, 'a.prompt'), file('A {{> b}}'));
    writeFileSync(join(dir, 'partials', 'b.prompt'), file('B {{> a}}'));
    writeFileSync(join(dir, 'u.prompt'), file('U {{> nope}}'));
    writeFileSync(join(dir, 'p.prompt'), file('P {{who}}', '  x: { type: string }\n'));
    writeFileSync(join(dir, 'welcome.prompt'), file('Hi {{app}}\n{{> signature}}'));
    writeFileSync(join(dir, 'partials', 'signature.prompt'), file('— {{app}}', '  app: { type: string }\n'));
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '.');
    git(dir, '-c', 'user.name=T', '-c', 'user.email=t@x', 'commit', '-qm', 'prompts');
    const head = git(dir, 'rev-parse', 'HEAD');
    for (const label of ['production', 'v1.0.0', 'main', 'deadbeef']) git(dir, 'update-ref', `refs/labels/welcome/${label}`, head);
    const out = runCli(['lint', '.'], { cwd: dir });
    assert.equal(out.code, 1);
    assert.deepEqual(out.stdout.trim().split('\n').map((l) => l.replace(/: error: .*\[/, ' [').replace(/: warning: .*\[/, ' warning [')), [
      'a.prompt:4:3 [partial_cycle]',
      'p.prompt:6:5 [undeclared_param]',
      'p.prompt:4:3 warning [unused_param]',
      'partials/b.prompt:4:3 [partial_cycle]',
      'selfy.prompt:4:3 [partial_cycle]',
      'u.prompt:4:3 [unknown_partial]',
      'refs/labels/welcome/deadbeef [invalid_label]',
      'refs/labels/welcome/main [invalid_label]',
      'refs/labels/welcome/v1.0.0 [invalid_label]',
    ]);
    assert.match(out.stdout, /label "v1\.0\.0" of "welcome" shadows another version: it reads as release 1\.0\.0/);
    assert.match(out.stderr, /7 files checked: 8 errors, 1 warning/);
    // One file alone is still checked against the rest of its repo.
    const single = runCli(['lint', 'welcome.prompt', '--quiet'], { cwd: dir });
    assert.deepEqual(single.stdout.trim().split('\n').filter((l) => !l.startsWith('refs/')), []);
  });
});

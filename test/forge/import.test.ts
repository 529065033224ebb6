/** `promptforge import` as a real process on fixture files, a Langfuse export and a promptfoo config: dry run, apply, idempotence, labels. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseTestSuite } from '../../core/testSuite/parse';
import { PromptStore } from '../../forge/store';
import { runCli, tempDir } from './apiServer';

const fixtures = join(__dirname, '../fixtures/import');

describe('promptforge import', function () {
  let tmp: ReturnType<typeof tempDir>;
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
  const commits = () => Number(git('rev-list', '--count', 'main'));

  beforeEach(() => {
    tmp = tempDir('pf-import-');
    repo = join(tmp.dir, 'prompts');
    const init = runCli(['init', repo]);
    assert.equal(init.code, 0, init.stderr);
  });
  afterEach(() => tmp.cleanup());

  it('plans a folder of files without writing, naming everything it would skip and why', () => {
    const before = commits();
    const out = runCli(['import', join(fixtures, 'files'), '--repo', repo]);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^ {2}\+ greet {2}\(greet\.md\)$/m);
    assert.match(out.stdout, /^ {2}\+ summary {2}\(sub\/summary\.md\)$/m);
    assert.match(out.stdout, /^ {2}\+ welcome {2}\(welcome\.txt\)$/m);
    assert.match(out.stdout, /^ {2}! data\.csv: \.csv: not a prompt file type/m);
    assert.match(out.stdout, /^ {2}! positional\.txt: `\{\}` is a positional placeholder; give it a name .*\(line 1, column 4\)$/m);
    assert.match(out.stdout, /^ {2}! shout\.j2: `\{\{ name\|upper \}\}` is an expression or filter/m);
    assert.match(out.stdout, /^ {2}! sub\/greet\.txt: its id "greet" is already taken by greet\.md$/m);
    assert.match(out.stdout, /^ {2}! vip\.jinja: the Jinja statement `\{% if vip %\}` \(line 1, column 1\) has no Mustache equivalent/m);
    assert.match(out.stdout, /would import 3, unchanged 0, skipped 5 — dry run: add --apply to write it\n$/);
    assert.equal(commits(), before);
  });

  it('applies in one commit whose prompts render what the originals would, keeps git status clean, and is idempotent', async () => {
    const before = commits();
    const out = runCli(['import', join(fixtures, 'files'), '--repo', repo, '--apply']);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /imported 3, unchanged 0, skipped 5 — 1 commit\n$/);
    assert.equal(commits(), before + 1);
    assert.equal(git('status', '--porcelain'), '', 'the work tree follows the branch');
    const store = await PromptStore.open(repo, { watch: false });
    try {
      // str.format('Hello {name}, welcome to {app}!') with these values:
      assert.equal((await store.render('welcome', 'HEAD', { name: 'Ann', app: 'Acme' })).text, 'Hello Ann, welcome to Acme!\n');
      assert.equal((await store.render('summary', 'HEAD', { ticket: 'T-1', lang: 'French' })).text, 'Summarize T-1 in French.\n');
      assert.deepEqual(Object.keys((await store.resolve('welcome')).file.params), ['name', 'app']);
    } finally {
      await store.close();
    }
    const again = runCli(['import', join(fixtures, 'files'), '--repo', repo, '--apply']);
    assert.match(again.stdout, /imported 0, unchanged 3, skipped 5 — nothing new, no commit\n$/);
    assert.equal(commits(), before + 1);
  });

  it('brings a Langfuse export over with every version as a commit and its labels, chat prompts as type: chat', async () => {
    const before = commits();
    const out = runCli(['import', '--from', 'langfuse', join(fixtures, 'langfuse-export.json'), '--repo', repo, '--apply']);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^ {2}\+ movie-critic {2}\(langfuse:movie-critic, 2 versions, labels production, staging\)$/m);
    assert.match(out.stdout, /^ {2}! langfuse:with-history: version 1: the message placeholder "chat_history"/m);
    assert.equal(commits(), before + 3);
    assert.equal(git('log', '-1', '--format=%s', `refs/labels/movie-critic/production`), 'First critic');
    assert.equal(git('log', '-1', '--format=%s', `refs/labels/movie-critic/staging`), 'Import movie-critic version 2 from Langfuse');
    assert.equal(git('status', '--porcelain'), '');
    const store = await PromptStore.open(repo, { watch: false });
    try {
      const triage = await store.render('triage', 'production', { product: 'Acme', ticket: 'It broke' });
      assert.deepEqual(triage.messages, [
        { role: 'system', content: 'You triage tickets for Acme.' },
        { role: 'user', content: 'It broke' },
      ]);
      const critic = await store.resolve('movie-critic', 'production');
      assert.deepEqual(critic.file.model, { name: 'gpt-4o-mini', temperature: 0.7 });
      assert.deepEqual(critic.file.tags, ['movies']);
      assert.equal(store.versions('movie-critic').length, 2);
    } finally {
      await store.close();
    }
    const again = runCli(['import', '--from', 'langfuse', join(fixtures, 'langfuse-export.json'), '--repo', repo, '--apply']);
    assert.match(again.stdout, /nothing new, no commit/);
  });

  it('takes a promptfoo config: its prompts, and its tests as a suite beside each; code prompts are refused', async () => {
    const out = runCli(['import', '--from', 'promptfoo', join(fixtures, 'promptfoo/promptfooconfig.yaml'), '--repo', repo, '--apply']);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^ {2}\+ translate {2}\(prompts\/translate\.txt, with tests\)$/m);
    assert.match(out.stdout, /^ {2}\+ formal {2}\(prompts\[1\], with tests\)$/m);
    assert.match(out.stdout, /^ {2}! prompts\[2\]: prompts\/build\.js is code that builds the prompt/m);
    const suite = parseTestSuite(git('show', 'main:translate.test.yaml'));
    assert.deepEqual(suite.problems, []);
    assert.deepEqual(suite.suite.tests[0].vars, { language: 'French', input: 'Hello world' });
  });

  it('says what was wrong with the input, with exit code 2', () => {
    const missing = runCli(['import', '--from', 'langfuse', join(tmp.dir, 'nope.json'), '--repo', repo]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.json: cannot be read \(ENOENT\)/);
    const notFolder = runCli(['import', join(fixtures, 'langfuse-export.json'), '--repo', repo]);
    assert.equal(notFolder.code, 2);
    assert.match(notFolder.stderr, /not a folder \(give --from langfuse or --from promptfoo for a file\)/);
    const source = runCli(['import', 'x', '--from', 'openai', '--repo', repo]);
    assert.equal(source.code, 2);
  });
});

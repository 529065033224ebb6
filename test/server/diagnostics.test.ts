import assert from 'node:assert/strict';
import { CodeActionRequest, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol';
import { suggest } from '../../core/suggest';
import { DiagnosticCode } from '../../server/src/protocol';
import { defaultSourceFactory } from '../../server/src/index/hosts';
import { fixtureRepo } from './support/fixtureRepo';
import { cursor, TestClient } from './support/client';
import { generatedRepo, memoryFactory } from './support/memorySource';
import type { TestRepo } from '../fixtures/git/makeRepo';

describe('server: diagnostics and quick fixes', () => {
  let repo: TestRepo;
  let client: TestClient;
  const mem = generatedRepo('mem', 'gen', 3);
  // Two versions sharing the prefix abcdef1.
  mem.prompts.get('p00000')!.versions.push(
    { sha: 'abcdef1' + '0'.repeat(33), labels: [], author: 'a', date: '2020-01-01', message: 'one' },
    { sha: 'abcdef1' + '1'.repeat(33), labels: [], author: 'a', date: '2020-01-01', message: 'two' },
  );
  const settings = { hosts: { local: { path: '' }, mem: { url: 'memory:' }, down: { url: 'http://127.0.0.1:9' } }, defaultHost: 'local', defaultRepo: 'demo' };

  before(async () => {
    repo = fixtureRepo();
    settings.hosts.local.path = repo.dir;
    client = await TestClient.start({ settings, server: { sourceFactory: memoryFactory({ mem: [mem] }, defaultSourceFactory) } });
  });
  after(async () => {
    await client.stop();
    repo.cleanup();
  });

  /** Diagnostics of a one-line document, as [code, text it covers]. */
  async function check(text: string, languageId = 'typescript'): Promise<Array<[string, string]>> {
    const uri = await client.open(text, languageId);
    const diagnostics = await client.diagnosticsOf(uri);
    return diagnostics.map((d) => [String(d.code), text.slice(d.range.start.character, d.range.end.character)]);
  }

  const cases: Array<[DiagnosticCode, string, string]> = [
    [DiagnosticCode.InvalidUri, '"prompt://local/demo"', 'prompt://local/demo'],
    [DiagnosticCode.InvalidUri, '"prompt://local/de mo/x"', 'prompt://local/de'],
    [DiagnosticCode.UnknownHost, '"prompt://nowhere/demo/welcome"', 'nowhere'],
    [DiagnosticCode.UnknownRepo, '"prompt://local/dmeo/welcome"', 'dmeo'],
    [DiagnosticCode.UnknownPrompt, '"prompt://local/demo/welcom?app_name=x"', 'welcom'],
    [DiagnosticCode.InvalidVersion, '"prompt://local/demo/welcome/-x?app_name=x"', '-x'],
    [DiagnosticCode.VersionNotFound, '"prompt://local/demo/welcome/prod?app_name=x"', 'prod'],
    [DiagnosticCode.VersionNotFound, '"prompt://local/demo/welcome/9.9.9?app_name=x"', '9.9.9'],
    [DiagnosticCode.AmbiguousVersion, '"prompt://mem/gen/p00000/abcdef1?name=x"', 'abcdef1'],
    [DiagnosticCode.MissingParam, '"prompt://local/demo/welcome/production"', 'welcome/production'],
    [DiagnosticCode.UnknownParam, '"prompt://local/demo/welcome?app_name=x&tire=free"', 'tire=free'],
    [DiagnosticCode.InvalidParamValue, '"prompt://local/demo/welcome?app_name=x&tier=gold"', 'gold'],
    [DiagnosticCode.InvalidParamValue, '"prompt://local/demo/welcome?app_name=x&seats=two"', 'two'],
    [DiagnosticCode.DuplicateParam, '"prompt://local/demo/welcome?app_name=x&app_name=y"', 'app_name=y'],
    [DiagnosticCode.Deprecated, '"prompt://local/demo/legacy"', 'legacy'],
  ];
  for (const [code, text, covered] of cases) {
    it(`${code}: ${text}`, async () => {
      assert.deepEqual(await check(text), [[code, covered]]);
    });
  }

  it('says what the misspelt id probably is', async () => {
    const uri = await client.open('"prompt://local/demo/welcom?app_name=x"');
    const [d] = await client.diagnosticsOf(uri);
    assert.equal(d.message, 'repo "demo" has no prompt "welcom"; did you mean "welcome"?');
  });

  it("suggests as the forge does (core's did-you-mean): a half-typed id names the prompt it starts", async () => {
    const uri = await client.open('"prompt://local/demo/welc?app_name=x"');
    const [d] = await client.diagnosticsOf(uri);
    assert.equal(d.message, `repo "demo" has no prompt "welc"; did you mean "${suggest('welc', ['welcome', 'summary', 'legacy'])[0]}"?`);
    assert.match(d.message, /did you mean "welcome"/);
  });

  it('reports nothing for correct references in any language', async () => {
    assert.deepEqual(await check('p = "prompt://local/demo/welcome/1.1.0?app_name=Acme&tier=premium"', 'python'), []);
    assert.deepEqual(await check('{:ok, p} = Prompts.get("welcome:production")', 'elixir'), []);
    assert.deepEqual(await check('See [welcome](prompt://local/demo/summary/production?text=hi).', 'markdown'), []);
    assert.deepEqual(await check('"prompt://local/demo/welcome/feature/x/HEAD?app_name=a"'), []);
    assert.deepEqual(await check('"prompt://local/demo/welcome/production~1?app_name=a"'), []);
    assert.deepEqual(await check('"prompt://local/demo/welcome/%5E1.0?app_name=a"'), []);
    // The forge renders `+3` as the integer 3, so the editor does not flag it.
    assert.deepEqual(await check('"prompt://local/demo/welcome?app_name=a&seats=+3"'), []);
  });

  it('reports one host-unreachable per host, not one per reference', async () => {
    const found = await check('a("prompt://down/r/a"); b("prompt://down/r/b"); c("prompt://down/r/c")');
    assert.deepEqual(found, [[DiagnosticCode.HostUnreachable, 'prompt://down/r/a']]);
  });

  describe('quick fixes', () => {
    async function fixes(marked: string): Promise<Array<{ title: string; result: string }>> {
      const { text } = cursor(marked + '|');
      const uri = await client.open(text);
      const diagnostics: Diagnostic[] = await client.diagnosticsOf(uri);
      assert.ok(diagnostics.length > 0, 'a diagnostic to fix');
      const actions = await client.codeActions(uri, diagnostics);
      return actions.filter((a) => a.kind === 'quickfix').map((a) => {
        const [edit] = a.edit!.changes![uri];
        const lines = text.split('\n');
        const line = lines[edit.range.start.line];
        const result = line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character);
        return { title: a.title, result };
      });
    }

    it('adds missing params with placeholders', async () => {
      assert.deepEqual(await fixes('"prompt://local/demo/welcome/production?tier=free"'), [
        { title: 'Add app_name', result: '"prompt://local/demo/welcome/production?tier=free&app_name="' },
      ]);
    });

    it('renames or removes an unknown param', async () => {
      assert.deepEqual(await fixes('"prompt://local/demo/welcome?app_name=x&tire=free"'), [
        { title: 'Change to "tier"', result: '"prompt://local/demo/welcome?app_name=x&tier=free"' },
        { title: 'Remove parameter "tire"', result: '"prompt://local/demo/welcome?app_name=x"' },
      ]);
    });

    it('fixes a misspelt prompt id', async () => {
      assert.deepEqual(await fixes('"prompt://local/demo/welcom?app_name=x"'), [{ title: 'Change to "welcome"', result: '"prompt://local/demo/welcome?app_name=x"' }]);
    });

    it('pins a movable version to its release or SHA, and HEAD to a label (lint.unpinned on)', async () => {
      await client.configure({ ...settings, lint: { unpinned: 'info' } });
      try {
        const found = await fixes('"prompt://local/demo/welcome/production?app_name=x"');
        assert.equal(found[0].title, 'Pin to release 1.1.0');
        assert.equal(found[0].result, '"prompt://local/demo/welcome/1.1.0?app_name=x"');
        assert.match(found[1].result, /welcome\/[0-9a-f]{40}\?app_name=x/);
        const head = await fixes('"prompt://local/demo/welcome/HEAD?app_name=x"');
        assert.ok(head.some((f) => f.title === 'Use label "production" instead of HEAD' && f.result === '"prompt://local/demo/welcome/production?app_name=x"'));
      } finally {
        await client.configure(settings);
      }
    });
  });

  it('offers pinning at the cursor as a rewrite while unpinned is off', async () => {
    const text = '"prompt://local/demo/welcome/HEAD?app_name=x"';
    const uri = await client.open(text);
    assert.deepEqual(await client.diagnosticsOf(uri), []);
    const range = { start: { line: 0, character: 25 }, end: { line: 0, character: 25 } };
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: [] } })) as CodeAction[];
    assert.deepEqual(actions.map((a) => [a.title.replace(/[0-9a-f]{12}/, 'SHA'), a.kind]), [
      ['Pin to SHA', 'refactor.rewrite'],
      ['Use label "production" instead of HEAD', 'refactor.rewrite'],
      ['Use label "staging" instead of HEAD', 'refactor.rewrite'],
    ]);
  });

  it('follows lint severities and can switch a rule off', async () => {
    await client.configure({ ...settings, lint: { 'unknown-param': 'error', deprecated: 'ignore' } });
    try {
      const uri = await client.open('"prompt://local/demo/welcome?app_name=x&zzz=1" "prompt://local/demo/legacy"');
      const diagnostics = await client.diagnosticsOf(uri);
      assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [[DiagnosticCode.UnknownParam, 1]]);
    } finally {
      await client.configure(settings);
    }
  });
});

import { parseVersionSpec } from '../../core/versionSpec';
import { parsePromptUri, parseShortRef } from '../../core/uri';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatPromptUri, paramValues, parseReference, parseUri, targetOf } from '../../server/src/index/reference';
import { resolveVersion } from '../../server/src/index/resolve';
import type { IndexedPrompt, IndexedRepo } from '../../server/src/index/model';

describe('reference parsing', () => {
  it('splits a URI into parts with exact offsets', () => {
    const text = 'prompt://localhost:7070/demo/welcome/feature%2Fx/HEAD?app_name=Acme%20Inc&tier=free';
    const ref = parseUri(text, 10, 'uri');
    assert.deepEqual(ref.problems, []);
    assert.deepEqual(targetOf(ref), { host: 'localhost:7070', repo: 'demo', id: 'welcome', version: 'feature/x/HEAD' });
    assert.deepEqual(paramValues(ref), { app_name: 'Acme Inc', tier: 'free' });
    assert.equal(text.slice(ref.id!.start - 10, ref.id!.end - 10), 'welcome');
  });

  const problemCases: Array<[string, string]> = [
    ['prompt://', 'missing host'],
    ['prompt://h', 'missing repo'],
    ['prompt://h/r', 'missing prompt id'],
    ['prompt://h/r/-x', 'prompt id "-x"'],
    ['prompt://h/r/a/%E0%A4', 'not valid UTF-8'],
    ['prompt://h/r/a?x=1&x=2', 'given more than once'],
  ];
  for (const [text, message] of problemCases) {
    it(`reports a problem for ${text}`, () => {
      const ref = parseUri(text, 0, 'uri');
      assert.ok(ref.problems.some((p) => p.message.includes(message)), JSON.stringify(ref.problems));
    });
  }

  it('expands short refs with the configured defaults', () => {
    const ref = parseReference({ text: 'welcome:production', start: 5, end: 23, kind: 'short' }, { defaultHost: 'h', defaultRepo: 'demo' });
    assert.deepEqual(targetOf(ref), { host: 'h', repo: 'demo', id: 'welcome', version: 'production' });
    const other = parseReference({ text: 'lib/intro:1.0.0', start: 0, end: 15, kind: 'short' }, { defaultHost: 'h' });
    assert.deepEqual(targetOf(other), { host: 'h', repo: 'lib', id: 'intro', version: '1.0.0' });
    const lonely = parseReference({ text: 'welcome:HEAD', start: 0, end: 12, kind: 'short' }, {});
    assert.match(lonely.problems[0].message, /defaultHost/);
  });

  it("names the setting that completes a short reference, after core's own message", () => {
    const noHost = parseReference({ text: 'welcome:HEAD', start: 0, end: 12, kind: 'short' }, {});
    assert.deepEqual(noHost.problems.map((p) => p.message), [`${parseShortRef('welcome:HEAD', {}).errors[0].message}, or set promptforge.defaultHost`, `${parseShortRef('welcome:HEAD', {}).errors[1].message}, or set promptforge.defaultRepo`]);
    assert.deepEqual(noHost.problems.map((p) => [p.start, p.end]), [[0, 12], [0, 12]]);
  });

  it('reads short refs as the SDK does: one grammar, in core (property)', () => {
    const shortText = fc.stringMatching(/^[A-Za-z0-9._\/:~^ -]{0,16}$/);
    fc.assert(
      fc.property(shortText, (text) => {
        const core = parseShortRef(text, { host: 'h', repo: 'demo' });
        const ref = parseReference({ text, start: 3, end: 3 + text.length, kind: 'short' }, { defaultHost: 'h', defaultRepo: 'demo' });
        if (core.uri) assert.deepEqual(targetOf(ref), { host: 'h', repo: core.uri.repo, id: core.uri.id, ...(core.uri.version !== undefined ? { version: core.uri.version } : {}) });
        const coreProblems = core.errors.filter((e) => e.code !== 'invalid_version').map((e) => e.message);
        assert.deepEqual(ref.problems.map((p) => p.message), coreProblems);
      }),
    );
  });

  const segment = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,12}$/);
  // hosts and versions the forge accepts: core's grammar decides
  const host = segment.filter((h) => parsePromptUri(`prompt://${h}/r/i`).errors.length === 0);
  const validVersion = fc.stringMatching(/^[A-Za-z0-9^~<>=. /_-]{1,20}$/).filter((v) => parseVersionSpec(v).errors.length === 0);
  it('formats and parses back any target with params (property)', () => {
    fc.assert(
      fc.property(host, segment, segment, fc.option(validVersion, { nil: undefined }), fc.dictionary(fc.stringMatching(/^[a-z_]{1,8}$/), fc.string({ maxLength: 10 })), (host, repo, id, version, params) => {
        const target = { host, repo, id, ...(version ? { version } : {}) };
        const ref = parseUri(formatPromptUri(target, params), 0, 'uri');
        assert.deepEqual(targetOf(ref), target);
        assert.deepEqual(paramValues(ref), { ...params });
        assert.deepEqual(ref.problems, []);
      }),
    );
  });

  it('never throws and keeps every part inside the reference (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (tail) => {
        const text = `prompt://${tail}`;
        const ref = parseUri(text, 0, 'uri');
        for (const part of [ref.host, ref.repo, ref.id, ref.version, ...ref.params.flatMap((p) => [p.name, p.value])]) {
          if (part) assert.ok(part.start >= 0 && part.end <= text.length && part.start <= part.end);
        }
        for (const p of ref.problems) assert.ok(p.start >= 0 && p.end <= text.length);
      }),
    );
  });
});

describe('version resolution from the index', () => {
  const sha = (c: string) => c.repeat(40);
  const prompt: IndexedPrompt = {
    host: 'h', repo: 'r', id: 'welcome', status: 'active', type: 'text', tags: [], params: {},
    labels: { production: sha('b'), beta: sha('c') },
    releases: { '1.0.0': sha('a'), '1.1.0': sha('b'), '2.0.0-rc.1': sha('c') },
    versions: [sha('c'), sha('b'), sha('a')].map((s) => ({ sha: s, labels: [], author: 'x', date: 'd', message: 'm' })),
    head: sha('c'),
  };
  const repo: IndexedRepo = { name: 'r', branches: ['main', 'feature/x'], defaultBranch: 'main', prompts: new Map([['welcome', prompt]]) };
  const table: Array<[string, string | undefined, string]> = [
    ['HEAD', sha('c'), 'head'],
    ['main/HEAD', sha('c'), 'branch-head'],
    ['feature/x/HEAD', undefined, 'branch'], // a branch whose history the index does not hold: unknown, not wrong
    ['production', sha('b'), 'label'],
    ['beta', sha('c'), 'label'], // a label named like a channel wins
    ['1.0.0', sha('a'), 'release'],
    ['v1.1.0', sha('b'), 'release'],
    ['^1.0', sha('b'), 'range'],
    ['>=1.0.0 <1.1.0', sha('a'), 'range'],
    ['latest', sha('b'), 'latest'],
    ['rc', sha('c'), 'channel'],
    ['^2.0.0-rc.0', sha('c'), 'range'], // a range that names a prerelease may match one
    ['main', sha('c'), 'branch'],
    ['feature/x', undefined, 'branch'],
    ['production~1', sha('a'), 'label'],
    ['bbbbbbb', sha('b'), 'sha'],
  ];
  for (const [spec, expected, kind] of table) {
    it(`${spec} → ${kind}`, () => {
      const result = resolveVersion(prompt, repo, spec);
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.kind, kind);
      assert.equal(result.sha, expected);
    });
  }
  const failures: Array<[string, string]> = [
    ['nope', 'version_not_found'],
    ['3.0.0', 'version_not_found'],
    ['^3', 'version_not_found'],
    ['2.x', 'version_not_found'], // prereleases stay out of ranges that do not name one
    ['production~5', 'version_not_found'],
    ['-x', 'invalid_version'],
    ['a..b', 'invalid_version'],
  ];
  for (const [spec, code] of failures) {
    it(`${spec} → ${code}`, () => {
      const result = resolveVersion(prompt, repo, spec);
      assert.equal(result.ok ? 'ok' : result.code, code);
    });
  }
});

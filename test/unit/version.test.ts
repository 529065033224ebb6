import { strict as assert } from 'node:assert';
import { classifyVersion, parseVersionSpec, releaseOf, resolveVersion, suggest, type PromptCommit, type VersionKind, type VersionSource } from '../../core/version';

/** A full SHA made of one repeated hex pattern, e.g. sha('c2') = 'c2c2…' (40 chars). */
const sha = (pattern: string) => pattern.repeat(40).slice(0, 40);

/**
 * One prompt's history:
 *   main:      c1 ← c2 ← e0 ← c3 ← c4 ← d1       (e0 and d1 change other prompts)
 *   feature/x: c2 ← c5 ← c6
 *   cafe123:   c2 ← c7                          (a branch named like a SHA prefix; commit cafe1234… exists)
 *   release/HEAD: c2 ← c8                       (a branch literally named …/HEAD, no branch "release")
 *   releases 1.0.0→c1, 1.1.0→c2, 1.2.0→c3, 2.0.0-beta.1→c4, 2.0.0-beta.2→c6, 1.2.1-rc.1→c6
 *   labels production→c2, staging→c3
 */
const C = {
  c1: sha('c1'), c2: sha('c2'), c3: sha('c3'), c4: sha('c4'), c5: sha('c5'), c6: sha('c6'), c7: sha('c7'), c8: sha('c8'),
  e0: 'abcdef0'.padEnd(40, '0'), d1: 'deadbee1'.padEnd(40, '1'), d2: 'deadbee2'.padEnd(40, '2'), cafe: 'cafe1234'.padEnd(40, '4'),
};
const parent: Record<string, string | undefined> = {
  [C.c2]: C.c1, [C.e0]: C.c2, [C.c3]: C.e0, [C.c4]: C.c3, [C.d1]: C.c4,
  [C.c5]: C.c2, [C.c6]: C.c5, [C.c7]: C.c2, [C.c8]: C.c2, [C.d2]: C.c1, [C.cafe]: C.c1,
};
const changed = new Set([C.c1, C.c2, C.c3, C.c4, C.c5, C.c6, C.c7, C.c8]);

function commit(id: string): PromptCommit {
  return { sha: id, author: 'Ada', date: '2026-01-01T00:00:00Z', message: `change ${id.slice(0, 7)}` };
}

function historyAt(at: string): PromptCommit[] {
  const history: PromptCommit[] = [];
  for (let s: string | undefined = at; s; s = parent[s]) if (changed.has(s)) history.push(commit(s));
  return history;
}

function source(overrides: Partial<VersionSource> = {}): VersionSource {
  return {
    defaultBranch: 'main',
    branches: {
      main: historyAt(C.d1),
      'feature/x': historyAt(C.c6),
      cafe123: historyAt(C.c7),
      'release/HEAD': historyAt(C.c8),
    },
    labels: { production: C.c2, staging: C.c3 },
    releases: { '1.0.0': C.c1, '1.1.0': C.c2, '1.2.0': C.c3, '2.0.0-beta.1': C.c4, '2.0.0-beta.2': C.c6, '1.2.1-rc.1': C.c6 },
    matchSha: (prefix) => Object.values(C).filter((s) => s.startsWith(prefix)),
    historyAt,
    ...overrides,
  };
}

describe('parseVersionSpec', () => {
  const valid: [spec: string, base: string, ancestor: number][] = [
    ['', '', 0],
    ['HEAD', 'HEAD', 0],
    ['HEAD~2', 'HEAD', 2],
    ['production~1', 'production', 1],
    ['main/HEAD~10', 'main/HEAD', 10],
    ['feature/x', 'feature/x', 0],
    ['~1.2.3', '~1.2.3', 0],
    ['~1', '~1', 0],
    ['^1.2~1', '^1.2', 1],
    ['>=1.0.0 ~1', '>=1.0.0 ~1', 0],
    ['>=1.0.0 <2.0.0', '>=1.0.0 <2.0.0', 0],
    ['1.x || 2.x', '1.x || 2.x', 0],
    ['v1.2.3~0', 'v1.2.3', 0],
    ['1.2.3-beta.1+build', '1.2.3-beta.1+build', 0],
    ['ünïcode-branch', 'ünïcode-branch', 0],
  ];
  for (const [spec, base, ancestor] of valid) {
    it(`reads ${JSON.stringify(spec)} as ${JSON.stringify(base)}~${ancestor}`, () => {
      assert.deepEqual(parseVersionSpec(spec), { base, ancestor, errors: [] });
    });
  }

  const invalid: [spec: string, start: number, end: number, says: string][] = [
    ['-h', 0, 1, 'must not start with "-"'],
    ['--upload-pack=x', 0, 1, 'must not start with "-"'],
    ['a..b', 1, 3, 'contains ".."'],
    ['main@{1}', 4, 6, 'contains "@{"'],
    ['main\u0000', 4, 5, 'U+0000'],
    ['ma\tin', 2, 3, 'U+0009'],
    ['a\u0085b', 1, 2, 'U+0085'],
    ['x\ud800', 1, 2, 'surrogate'],
    ['a:b', 1, 2, 'contains ":"'],
    ['a b', 1, 2, 'contains " "'],
    [' -x', 0, 1, 'start with a space'],
    ['^1.2 ', 4, 5, 'end with a space'],
    ['a*b', 1, 2, 'neither a semver range'],
    ['a[b', 1, 2, 'contains "["'],
    ['a\\b', 1, 2, 'contains "\\"'],
    ['a?b', 1, 2, 'contains "?"'],
    ['main/', 4, 5, 'empty path component'],
    ['/main', 0, 1, 'empty path component'],
    ['a//b', 1, 3, 'empty path component'],
    ['main.', 4, 5, 'must not end with "."'],
    ['x/.hidden', 2, 9, 'starting with "."'],
    ['main.lock', 0, 9, '".lock"'],
    ['@', 0, 1, '"@"'],
    ['HEAD~', 4, 5, '~1'],
    ['HEAD~1234567', 4, 12, 'too far'],
    ['production~x', 10, 11, 'contains "~"'],
    ['>=1.0.0 <<2', 7, 8, 'neither a semver range'],
    ['x'.repeat(1025), 1024, 1025, 'longer than 1024'],
  ];
  for (const [spec, start, end, says] of invalid) {
    it(`refuses ${JSON.stringify(spec.slice(0, 20))} at ${start}-${end}`, () => {
      const { errors } = parseVersionSpec(spec);
      assert.equal(errors.length, 1);
      assert.equal(errors[0].code, 'invalid_version');
      assert.deepEqual(errors[0].range, { start, end });
      assert.ok(errors[0].message.includes(says), errors[0].message);
    });
  }
});

describe('classifyVersion', () => {
  const cases: [string, VersionKind[]][] = [
    ['', ['head']],
    ['HEAD', ['head']],
    ['HEAD~3', ['head']],
    ['main/HEAD', ['branch-head', 'branch']],
    ['feature/x/HEAD', ['branch-head', 'branch']],
    ['production', ['label', 'branch']],
    ['production~1', ['label', 'branch']],
    ['1.2.3', ['label', 'release', 'branch']],
    ['v1.2.3', ['label', 'release', 'branch']],
    ['^1.2', ['range']],
    ['~1.2.3', ['range']],
    ['1.x', ['label', 'range', 'branch']],
    ['>=1.0.0 <2.0.0', ['range']],
    ['latest', ['label', 'latest', 'branch']],
    ['beta', ['label', 'channel', 'branch']],
    ['rc', ['label', 'channel', 'branch']],
    ['feature/x', ['branch']],
    ['abc1234', ['label', 'branch', 'sha']],
    ['1234567', ['label', 'range', 'branch', 'sha']],
    ['c'.repeat(40), ['label', 'branch', 'sha']],
    ['a..b', []],
  ];
  for (const [spec, kinds] of cases) {
    it(`${JSON.stringify(spec)} could be ${kinds.join(', ') || 'nothing'}`, () => assert.deepEqual(classifyVersion(spec), kinds));
  }
});

describe('resolveVersion', () => {
  const resolves: [spec: string | undefined, sha: string, kind: VersionKind, why: string][] = [
    [undefined, C.c4, 'head', 'no version means HEAD'],
    ['', C.c4, 'head', 'an empty version means HEAD'],
    ['HEAD', C.c4, 'head', 'the newest change on the default branch, not the newest commit (d1)'],
    ['HEAD~2', C.c2, 'head', 'ancestors count versions of this prompt, skipping e0'],
    ['main/HEAD', C.c4, 'branch-head', 'BRANCH/HEAD'],
    ['main/HEAD~1', C.c3, 'branch-head', 'BRANCH/HEAD~N'],
    ['feature/x/HEAD', C.c6, 'branch-head', 'a branch with a slash'],
    ['release/HEAD', C.c8, 'branch', 'no branch "release", so the branch literally named release/HEAD'],
    ['production', C.c2, 'label', 'a label'],
    ['production~1', C.c1, 'label', 'what production replaced'],
    ['staging', C.c3, 'label', 'another label'],
    ['1.1.0', C.c2, 'release', 'an exact release'],
    ['v1.1.0', C.c2, 'release', 'an exact release with v'],
    ['2.0.0-beta.1', C.c4, 'release', 'an exact prerelease'],
    ['v1.2.0~1', C.c2, 'release', 'a release and its predecessor'],
    ['^1.0', C.c3, 'range', 'the highest 1.x; 1.2.1-rc.1 is a prerelease the range does not name'],
    ['~1.1.0', C.c2, 'range', '~1.1.0 is a range, not an ancestor'],
    ['1.x', C.c3, 'range', 'x-range'],
    ['>=1.0.0 <2.0.0', C.c3, 'range', 'a space-separated range'],
    ['>=1.0.0', C.c3, 'range', 'prereleases are left out of ranges'],
    ['>=2.0.0-beta.1', C.c6, 'range', 'a range naming a 2.0.0 prerelease admits 2.0.0 prereleases'],
    ['^1.2.1-rc.0', C.c6, 'range', 'a range naming a 1.2.1 prerelease admits it'],
    ['latest', C.c3, 'latest', 'the highest non-prerelease release'],
    ['latest~1', C.c2, 'latest', 'latest and its predecessor'],
    ['beta', C.c6, 'channel', 'the highest beta prerelease'],
    ['rc', C.c6, 'channel', 'the highest rc prerelease'],
    ['main', C.c4, 'branch', 'a branch'],
    ['feature/x', C.c6, 'branch', 'a branch with a slash'],
    ['feature/x~1', C.c5, 'branch', 'an ancestor on a branch'],
    ['feature/x~2', C.c2, 'branch', 'history continues past the fork'],
    [C.c3.slice(0, 7), C.c3, 'sha', 'a 7-hex SHA prefix'],
    [C.c3.toUpperCase(), C.c3, 'sha', 'a full SHA in capitals'],
    [C.e0.slice(0, 7), C.c2, 'sha', 'a commit that changed other prompts names the version in effect there'],
    [`${C.e0.slice(0, 10)}~1`, C.c1, 'sha', 'and its ancestor'],
  ];
  for (const [spec, expected, kind, why] of resolves) {
    it(`${JSON.stringify(spec)} → ${expected.slice(0, 7)} (${why})`, () => {
      const result = resolveVersion(spec, source());
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.sha, expected);
      assert.equal(result.kind, kind);
    });
  }

  it('reports the release and the labels at the resolved commit', () => {
    assert.deepEqual(resolveVersion('production', source()), { ok: true, sha: C.c2, kind: 'label', release: '1.1.0', labels: ['production'] });
    assert.deepEqual(resolveVersion('HEAD', source()), { ok: true, sha: C.c4, kind: 'head', release: '2.0.0-beta.1', labels: [] });
    assert.deepEqual(resolveVersion('feature/x', source()), { ok: true, sha: C.c6, kind: 'branch', release: '2.0.0-beta.2', labels: [] });
  });

  it('lets a label named beta win over the beta channel', () => {
    const result = resolveVersion('beta', source({ labels: { beta: C.c1 } }));
    assert.ok(result.ok);
    assert.equal(result.sha, C.c1);
    assert.equal(result.kind, 'label');
  });

  it('falls back from an empty channel to a branch of that name', () => {
    const result = resolveVersion('alpha', source({ branches: { ...source().branches, alpha: historyAt(C.c5) } }));
    assert.ok(result.ok);
    assert.equal(result.kind, 'branch');
    assert.equal(result.sha, C.c5);
  });

  it('takes latest to mean HEAD when there are no releases', () => {
    assert.deepEqual(resolveVersion('latest', source({ releases: {} })), { ok: true, sha: C.c4, kind: 'latest', labels: [], release: undefined });
  });

  it('prefers a label named like a release over the release (labels come first)', () => {
    const result = resolveVersion('1.0.0', source({ labels: { '1.0.0': C.c3 } }));
    assert.ok(result.ok);
    assert.equal(result.kind, 'label');
    assert.equal(result.sha, C.c3);
  });

  const failures: [spec: string, code: string, says: string[], candidates: string[], overrides?: Partial<VersionSource>][] = [
    ['cafe123', 'ambiguous_version', ['both a branch', 'cafe123'], ['cafe123/HEAD', C.cafe]],
    ['deadbee', 'ambiguous_version', ['2 commit SHAs'], [C.d1, C.d2]],
    [C.c4, 'ambiguous_version', ['both a branch'], [`${C.c4}/HEAD`, C.c4], { branches: { main: historyAt(C.d1), [C.c4]: historyAt(C.c7) } }],
    ['0000000', 'version_not_found', ['no label, branch or commit named "0000000"'], []],
    ['prodution', 'version_not_found', ['no label or branch named "prodution"', 'did you mean: production'], ['production']],
    ['feature/y', 'version_not_found', ['no branch named "feature/y"', 'feature/x'], ['feature/x']],
    ['nope/HEAD', 'version_not_found', ['no branch "nope" has this prompt'], []],
    ['featur/x/HEAD', 'version_not_found', ['did you mean: feature/x/HEAD'], ['feature/x/HEAD']],
    ['1.3.0', 'version_not_found', ['no label, release or branch named "1.3.0"', 'releases: 2.0.0-beta.2'], ['2.0.0-beta.2', '2.0.0-beta.1', '1.2.1-rc.1', '1.2.0', '1.1.0']],
    ['^3', 'version_not_found', ['no release satisfies the range "^3"'], ['2.0.0-beta.2', '2.0.0-beta.1', '1.2.1-rc.1', '1.2.0', '1.1.0']],
    ['alpha', 'version_not_found', ['no alpha prerelease', 'no label or branch named "alpha"'], ['2.0.0-beta.2', '2.0.0-beta.1', '1.2.1-rc.1', '1.2.0', '1.1.0']],
    ['production~2', 'version_not_found', ['"production" has 2 versions in its history', 'production~1'], []],
    ['HEAD~9', 'version_not_found', ['has 4 versions', 'HEAD~3'], []],
    ['HEAD', 'version_not_found', ['no versions on the default branch "main"', 'feature/x/HEAD'], ['feature/x/HEAD'], { branches: { 'feature/x': historyAt(C.c6) } }],
    [C.d2.slice(0, 8), 'version_not_found', ['does not exist at commit'], [], { historyAt: () => [] }],
    ['a..b', 'invalid_version', ['contains ".."'], []],
    ['-x', 'invalid_version', ['must not start with "-"'], []],
  ];
  for (const [spec, code, says, candidates, overrides] of failures) {
    it(`${JSON.stringify(spec.slice(0, 16))} fails with ${code}`, () => {
      const result = resolveVersion(spec, source(overrides));
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.code, code);
      for (const text of says) assert.ok(result.message.includes(text), `${JSON.stringify(result.message)} should say ${text}`);
      assert.deepEqual(result.candidates, candidates);
    });
  }
});

describe('releaseOf', () => {
  it('picks the highest release tagged on a commit', () => {
    assert.equal(releaseOf(C.c6, source()), '2.0.0-beta.2');
    assert.equal(releaseOf(C.c5, source()), undefined);
    assert.equal(releaseOf(C.c1, { releases: { '1.0.0': C.c1, '1.0.1': C.c1, '0.9.0': C.c1 } }), '1.0.1');
  });
});

describe('suggest', () => {
  const names = ['production', 'staging', 'main', 'feature/x', 'HEAD', 'latest', 'p'];
  const cases: [string, string[]][] = [
    ['prodution', ['production']],
    ['prod', ['production']],
    ['stagign', ['staging']],
    ['mian', ['main']],
    ['headless', []],
    ['zzzzzz', []],
  ];
  for (const [wanted, expected] of cases) {
    it(`suggests ${expected.join(', ') || 'nothing'} for ${wanted}`, () => assert.deepEqual(suggest(wanted, names), expected));
  }
});

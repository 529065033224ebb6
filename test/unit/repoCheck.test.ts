import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { classifyVersion } from '../../core/version';
import { isValidSegment } from '../../core/versionSpec';
import { labelShadowing } from '../../core/labelName';
import { parsePromptFile, type PromptFile } from '../../core/promptFile';
import { checkRepo, includers, newProblems } from '../../core/repoCheck';

const file = (body: string, params = ''): PromptFile => parsePromptFile(`---\ndescription: t\n${params ? `params:\n${params}` : ''}---\n${body}\n`).file;

describe('core/repoCheck: problems across prompts', () => {
  const files = new Map<string, PromptFile>([
    ['selfy', file('S {{> selfy}}')],
    ['a', file('A {{> b}}')],
    ['b', file('B {{> a}}')],
    ['u', file('U {{> nope}}')],
    ['p', file('P {{y}}', '  x: { type: string }\n')],
    ['welcome', file('Hi {{app}} {{> sig}}')],
    ['sig', file('— {{app}}', '  app: { type: string, required: true }\n')],
    ['deep', file('{{> welcome}}')],
  ]);

  it('finds self includes, cycles, unknown includes, undeclared (error) and unused (warning) params', () => {
    const found = Object.fromEntries([...checkRepo(files)].map(([id, ps]) => [id, ps.map((p) => `${p.severity}:${p.code}`)]));
    assert.deepEqual(found, {
      selfy: ['error:partial_cycle'],
      a: ['error:partial_cycle'],
      b: ['error:partial_cycle'],
      u: ['error:unknown_partial'],
      p: ['error:undeclared_param', 'warning:unused_param'],
    });
  });

  it('places each problem in the prompt source: the include tag, the param name', () => {
    const [cycle] = checkRepo(files, ['selfy']).get('selfy')!;
    assert.equal(cycle.range.start, '---\ndescription: t\n---\nS '.length);
    const [undeclared, unused] = checkRepo(files, ['p']).get('p')!;
    assert.equal(undeclared.range.start, '---\ndescription: t\nparams:\n  x: { type: string }\n---\nP {{'.length);
    assert.equal(unused.range.start, '---\ndescription: t\nparams:\n  '.length);
  });

  it('takes a required param declared by an included prompt as declared, and a check passes no values', () => {
    assert.equal(checkRepo(files, ['welcome', 'sig', 'deep']).size, 0);
  });

  it('lists a prompt with everything that includes it, transitively', () => {
    assert.deepEqual([...includers(files, 'sig')].sort(), ['deep', 'sig', 'welcome']);
    assert.deepEqual([...includers(files, 'a')].sort(), ['a', 'b']);
  });

  it('tells new problems from ones that were there before', () => {
    const before = checkRepo(files, ['p']).get('p')!;
    assert.deepEqual(newProblems(before, before), []);
    assert.equal(newProblems([], before).length, 2);
  });
});

describe('core/labelName: labels that would shadow another version form', () => {
  it('refuses releases, ranges, SHAs, HEAD, latest, a leading digit and branch names', () => {
    for (const name of ['v1.0.0', '1.0.0', 'v2.1.0-beta.1', 'x', 'X', '1.x', 'deadbeef', 'ABCDEF0', 'HEAD', 'latest', '2nd', 'v1']) assert.ok(labelShadowing(name), name);
    assert.match(labelShadowing('main', ['main'])!, /branch "main"/);
  });

  it('accepts ordinary names, channel names, short hex and a branch name of another repo', () => {
    for (const name of ['production', 'staging', 'beta', 'canary', 'cafe', 'head', 'version-2', 'main']) assert.equal(labelShadowing(name, ['dev']), undefined, name);
  });

  it('an accepted label never reads as another version form (property)', () => {
    const chars = fc.constantFrom(...'abcdefvx0123456789.-_HEADlatest'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { minLength: 1, maxLength: 12 }).map((a) => a.join('')), fc.array(fc.constantFrom('main', 'dev', 'v1', 'abc'), { maxLength: 3 }), (label, branches) => {
        if (!isValidSegment(label) || labelShadowing(label, branches)) return;
        const kinds = classifyVersion(label);
        for (const other of ['head', 'release', 'range', 'latest', 'sha'] as const) assert.ok(!kinds.includes(other), `${label} reads as ${other}`);
        assert.ok(!(branches as string[]).includes(label));
      }),
      { numRuns: 2000 },
    );
  });
});

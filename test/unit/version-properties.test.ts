import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import semver from 'semver';
import { classifyVersion, exactRelease, isRange } from '../../core/version';

const part = fc.oneof(fc.nat({ max: 20 }).map(String), fc.constantFrom('x', 'X', '*'));
const partial = fc.oneof(
  part,
  fc.tuple(part, part).map(([a, b]) => `${a}.${b}`),
  fc.tuple(part, part, part, fc.constantFrom('', '-beta.1', '-rc.0', '+build.7')).map(([a, b, c, tail]) => `${a}.${b}.${c}${tail}`),
);
const comparator = fc.tuple(fc.constantFrom('', '^', '~', '>', '>=', '<', '<=', '=', 'v', '>=v'), partial).map(([op, version]) => op + version);
const comparatorSet = fc.oneof(
  fc.array(comparator, { minLength: 1, maxLength: 3 }).map((cs) => cs.join(' ')),
  fc.tuple(partial, partial).map(([a, b]) => `${a} - ${b}`),
);
/** Well-formed npm ranges: comparators, hyphen ranges, unions. */
const wellFormedRange = fc.array(comparatorSet, { minLength: 1, maxLength: 3 }).map((sets) => sets.join(' || '));

describe('version spec classification (properties)', () => {
  it('classifies every well-formed npm range as a range or an exact release', () => {
    fc.assert(
      fc.property(wellFormedRange, (text) => {
        fc.pre(semver.validRange(text) !== null);
        assert.ok(isRange(text) || exactRelease(text) !== undefined, JSON.stringify(text));
        assert.ok(classifyVersion(text).some((kind) => kind === 'range' || kind === 'release'));
      }),
      { numRuns: 3000 },
    );
  });

  it('calls nothing a range that semver would refuse, and skips its junk forms such as "+beta"', () => {
    const junk = fc.string({ unit: fc.constantFrom(...'0123456789.xX*vV^~<>= |-+abe', '||', 'beta', 'rc.1'), maxLength: 16 });
    fc.assert(
      fc.property(junk, (text) => {
        if (isRange(text)) assert.notEqual(semver.validRange(text), null, JSON.stringify(text));
      }),
      { numRuns: 5000 },
    );
    assert.equal(isRange('+beta'), false);
    assert.equal(isRange('v=5'), false);
  });
});

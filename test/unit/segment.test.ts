import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isValidSegment, SEGMENT_SOURCE } from '../../core/segment';

describe('the name grammar (core/segment.ts)', () => {
  const pattern = new RegExp(`^${SEGMENT_SOURCE}$`);
  it('the pattern scanners build from and the check agree on any text (property)', () => {
    const text = fc.oneof(fc.string({ maxLength: 12 }), fc.stringMatching(/^[A-Za-z0-9._\-/:é ]{0,12}$/));
    fc.assert(fc.property(text, (s) => assert.equal(isValidSegment(s), pattern.test(s), JSON.stringify(s))), { numRuns: 2000 });
  });
  for (const [name, valid] of [['welcome', true], ['v1.2_x-y', true], ['9lives', true], ['-x', false], ['.hidden', false], ['', false], ['a/b', false], ['é', false]] as const) {
    it(`${JSON.stringify(name)} is ${valid ? '' : 'not '}a name`, () => assert.equal(isValidSegment(name), valid));
  }
});

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { validateParams } from '../../core/params';
import type { ParamType } from '../../core/promptFile';

/** What a URI would carry for each type: the value written as text, as `promptforge` formats it. */
const typed: [ParamType, fc.Arbitrary<unknown>, (value: unknown) => string][] = [
  ['string', fc.string(), (v) => v as string],
  ['number', fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)), String],
  ['integer', fc.maxSafeInteger(), String],
  ['boolean', fc.boolean(), String],
  ['array', fc.array(fc.jsonValue(), { maxLength: 4 }), (v) => JSON.stringify(v)],
  ['object', fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4, noNullPrototype: true }), (v) => JSON.stringify(v)],
];

describe('params (properties)', () => {
  for (const [type, values, asText] of typed) {
    it(`${type}: a value written as URI text comes back the same`, () => {
      fc.assert(fc.property(values, (value) => {
        const text = asText(value);
        const { values: out, problems } = validateParams({ p: { type } }, { p: text }, { fromStrings: true });
        assert.deepEqual(problems, []);
        assert.deepEqual(out.p, JSON.parse(JSON.stringify(value)));
      }), { numRuns: 200 });
    });
  }
});

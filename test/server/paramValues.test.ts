/**
 * The editor flags a param value exactly when the forge would refuse to render it: both
 * ask core's check (core/params.ts), so `?seats=+3` is fine in both.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { validateParams, type ParamSchema } from '../../core/params';
import { invalidParamValue } from '../../server/src/diagnostics/invalidParamValue';
import type { ReferenceFacts } from '../../server/src/index/lookup';
import type { IndexedPrompt } from '../../server/src/index/model';
import { parseUri } from '../../server/src/index/reference';

function editorFlags(schema: ParamSchema, value: string): string[] {
  const ref = parseUri(`prompt://h/r/p?x=${encodeURIComponent(value)}`, 0, 'uri');
  const prompt = { host: 'h', repo: 'r', id: 'p', params: { x: schema } } as unknown as IndexedPrompt;
  return invalidParamValue({ ref, prompt } as unknown as ReferenceFacts).map((f) => f.message);
}

function forgeRefuses(schema: ParamSchema, value: string): string[] {
  return validateParams({ x: schema }, { x: value }, { fromStrings: true })
    .problems.filter((p) => p.code === 'invalid_param_value')
    .map((p) => p.message);
}

describe('param values: the editor and the forge agree', () => {
  const examples: Array<[ParamSchema, string, boolean]> = [
    [{ type: 'integer' }, '+3', true],
    [{ type: 'integer' }, '-3', true],
    [{ type: 'integer' }, '3.5', false],
    [{ type: 'number' }, '1e3', true],
    [{ type: 'number' }, ' ', false],
    [{ type: 'boolean' }, 'true', true],
    [{ type: 'boolean' }, 'yes', false],
    [{ type: 'array' }, '[1,2]', true],
    [{ type: 'object' }, '[1,2]', false],
    [{ type: 'string', enum: ['free', 'premium'] }, 'gold', false],
    [{ type: 'integer', enum: [1, 2] }, '2', true],
  ];
  for (const [schema, value, fits] of examples) {
    it(`${JSON.stringify(schema)} ${JSON.stringify(value)}: ${fits ? 'fits' : 'refused'} in both`, () => {
      assert.equal(editorFlags(schema, value).length === 0, fits);
      assert.equal(forgeRefuses(schema, value).length === 0, fits);
    });
  }

  it('for any declared type and written value, the editor flags what the forge refuses (property)', () => {
    const schema = fc.record(
      { type: fc.constantFrom('string', 'number', 'integer', 'boolean', 'array', 'object' as const), enum: fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'true', '1')), { minLength: 1, maxLength: 3 }) },
      { requiredKeys: ['type'] },
    ) as fc.Arbitrary<ParamSchema>;
    const value = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('+3', '-0', '1e3', '0x10', ' 1', 'true', 'false', '[]', '{}', 'null', '1.0', 'Infinity'));
    fc.assert(
      fc.property(schema, value, (s, v) => {
        assert.equal(editorFlags(s, v).length > 0, forgeRefuses(s, v).length > 0);
      }),
      { numRuns: 500 },
    );
  });
});

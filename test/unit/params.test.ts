import { strict as assert } from 'node:assert';
import type { ParamSchema } from '../../core/promptFile';
import { validateParams } from '../../core/params';

type Expect = { value: unknown } | { code: 'missing_param' | 'invalid_param_value' } | { absent: true };

describe('validateParams', () => {
  // [declared schema, given value (undefined = not given), coerce from strings?, expected]
  const cases: [schema: ParamSchema, given: unknown, fromStrings: boolean, expect: Expect][] = [
    [{ type: 'string' }, 'hi', false, { value: 'hi' }],
    [{ type: 'string' }, '', false, { value: '' }],
    [{ type: 'string' }, 3, false, { code: 'invalid_param_value' }],
    [{ type: 'string' }, 3, true, { code: 'invalid_param_value' }],
    [{ type: 'number' }, 2.5, false, { value: 2.5 }],
    [{ type: 'number' }, '2.5', false, { code: 'invalid_param_value' }],
    [{ type: 'number' }, '2.5', true, { value: 2.5 }],
    [{ type: 'number' }, '-1e3', true, { value: -1000 }],
    [{ type: 'number' }, '', true, { code: 'invalid_param_value' }],
    [{ type: 'number' }, ' ', true, { code: 'invalid_param_value' }],
    [{ type: 'number' }, 'abc', true, { code: 'invalid_param_value' }],
    [{ type: 'number' }, 'Infinity', true, { code: 'invalid_param_value' }],
    [{ type: 'number' }, NaN, false, { code: 'invalid_param_value' }],
    [{ type: 'integer' }, 3, false, { value: 3 }],
    [{ type: 'integer' }, 3.5, false, { code: 'invalid_param_value' }],
    [{ type: 'integer' }, '3', true, { value: 3 }],
    [{ type: 'integer' }, '-3', true, { value: -3 }],
    [{ type: 'integer' }, '3.0', true, { code: 'invalid_param_value' }],
    [{ type: 'integer' }, '1e3', true, { code: 'invalid_param_value' }],
    [{ type: 'integer' }, '99999999999999999999', true, { code: 'invalid_param_value' }],
    [{ type: 'boolean' }, true, false, { value: true }],
    [{ type: 'boolean' }, 'true', true, { value: true }],
    [{ type: 'boolean' }, 'false', true, { value: false }],
    [{ type: 'boolean' }, 'yes', true, { code: 'invalid_param_value' }],
    [{ type: 'boolean' }, 'true', false, { code: 'invalid_param_value' }],
    [{ type: 'boolean' }, 0, false, { code: 'invalid_param_value' }],
    [{ type: 'array' }, ['a'], false, { value: ['a'] }],
    [{ type: 'array' }, '["a",1]', true, { value: ['a', 1] }],
    [{ type: 'array' }, '{"a":1}', true, { code: 'invalid_param_value' }],
    [{ type: 'array' }, '[oops', true, { code: 'invalid_param_value' }],
    [{ type: 'array' }, 'a,b', false, { code: 'invalid_param_value' }],
    [{ type: 'object' }, { a: 1 }, false, { value: { a: 1 } }],
    [{ type: 'object' }, '{"a":{"b":[1]}}', true, { value: { a: { b: [1] } } }],
    [{ type: 'object' }, '[1]', true, { code: 'invalid_param_value' }],
    [{ type: 'object' }, null, false, { code: 'invalid_param_value' }],
    [{ type: 'object' }, new Date(0), false, { code: 'invalid_param_value' }],
    [{ type: 'string', enum: ['free', 'premium'] }, 'free', false, { value: 'free' }],
    [{ type: 'string', enum: ['free', 'premium'] }, 'gold', false, { code: 'invalid_param_value' }],
    [{ type: 'integer', enum: [1, 2] }, '2', true, { value: 2 }],
    [{ type: 'integer', enum: [1, 2] }, '3', true, { code: 'invalid_param_value' }],
    [{ type: 'object', enum: [{ a: [1] }] }, { a: [1] }, false, { value: { a: [1] } }],
    [{ type: 'string', default: 'x' }, undefined, false, { value: 'x' }],
    [{ type: 'string', default: 'x' }, 'y', false, { value: 'y' }],
    [{ type: 'string', required: true }, undefined, false, { code: 'missing_param' }],
    [{ type: 'string', required: true, default: 'x' }, undefined, false, { value: 'x' }],
    [{ type: 'string', required: true }, '', false, { value: '' }],
    [{ type: 'string' }, undefined, false, { absent: true }],
  ];
  for (const [schema, given, fromStrings, expect] of cases) {
    const title = `${JSON.stringify(schema)} given ${given === undefined ? 'nothing' : JSON.stringify(given)}${fromStrings ? ' from a string' : ''} → ${JSON.stringify(expect)}`;
    it(title, () => {
      const { values, problems } = validateParams({ p: schema }, given === undefined ? {} : { p: given }, { fromStrings });
      if ('value' in expect) {
        assert.deepEqual(problems, []);
        assert.deepEqual(values, { p: expect.value });
      } else if ('absent' in expect) {
        assert.deepEqual({ values, problems }, { values: {}, problems: [] });
      } else {
        assert.deepEqual(problems.map((p) => [p.code, p.param, p.severity]), [[expect.code, 'p', 'error']]);
        assert.match(problems[0].message, /`p`/);
        assert.deepEqual(values, {});
      }
    });
  }

  it('reports unknown params by name and lists the declared ones', () => {
    const { values, problems } = validateParams({ name: { type: 'string' }, tier: { type: 'string' } }, { name: 'a', nmae: 'b' });
    assert.deepEqual(values, { name: 'a' });
    assert.deepEqual(problems.map((p) => [p.code, p.param]), [['unknown_param', 'nmae']]);
    assert.match(problems[0].message, /`nmae`.*name, tier/);
  });

  it('reports every problem at once', () => {
    const { problems } = validateParams(
      { a: { type: 'string', required: true }, b: { type: 'integer' } },
      { b: 'x', c: 1 },
    );
    assert.deepEqual(problems.map((p) => [p.code, p.param]).sort(), [['invalid_param_value', 'b'], ['missing_param', 'a'], ['unknown_param', 'c']]);
  });

  it('does not take inherited object properties for declared params', () => {
    const { values, problems } = validateParams({}, JSON.parse('{"__proto__": {"x": 1}, "constructor": 1}'));
    assert.deepEqual(problems.map((p) => p.param), ['__proto__', 'constructor']);
    assert.deepEqual(values, {});
    const declared = validateParams({ toString: { type: 'string', required: true } as ParamSchema }, {});
    assert.deepEqual(declared.problems.map((p) => p.code), ['missing_param']);
  });

  it('says what was given when the type is wrong', () => {
    const { problems } = validateParams({ count: { type: 'integer' } }, { count: 'many' }, { fromStrings: true });
    assert.equal(problems[0].message, 'Param `count` must be an integer, got "many".');
  });
});

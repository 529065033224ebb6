import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { validateParams } from '../../core/params';
import { parsePromptFile, serializePromptFile, type ParamSchema, type PromptFile } from '../../core/promptFile';
import { renderPrompt } from '../../core/template';

/** Text that looks like a prompt file often enough to reach every branch of the parser. */
const promptish = fc
  .array(fc.oneof(
    fc.constantFrom('---', '---\n', '\n', '\r\n', ': ', '- ', '{', '}', '[', ']', ',', '#', '"', "'", '&a', '*a', '!!str', '  ', '\t', '\uFEFF',
      'params:', 'type:', 'status:', 'tags:', 'model:', 'description:', 'enum:', 'default:', 'required:', 'string', 'integer', 'chat', 'draft',
      '{{', '}}', '{{#', '{{/', '{{^', '{{>', '{{{', '}}}', '{{=', '=}}', 'user:', 'system:', 'x'),
    fc.string(),
  ), { maxLength: 40 })
  .map((parts) => parts.join(''));

describe('prompt files (properties)', () => {
  it('parsePromptFile never throws and its ranges stay inside the text', () => {
    fc.assert(fc.property(fc.oneof(promptish, fc.string({ unit: 'binary' })), (text) => {
      const { file, problems } = parsePromptFile(text);
      assert.equal(text.slice(file.bodyStart), file.body);
      for (const p of problems) assert.ok(p.range.start >= 0 && p.range.start <= p.range.end && p.range.end <= text.length, JSON.stringify(p));
    }), { numRuns: 300 });
  });

  it('validateParams never throws and returns only declared params', () => {
    fc.assert(fc.property(schemaArb, fc.dictionary(fc.string(), fc.anything()), fc.boolean(), (schema, given, fromStrings) => {
      const { values, problems } = validateParams(schema, given, { fromStrings });
      for (const name of Object.keys(values)) assert.ok(Object.hasOwn(schema, name));
      for (const p of problems) assert.ok(['missing_param', 'unknown_param', 'invalid_param_value'].includes(p.code));
    }), { numRuns: 300 });
  });

  it('renderPrompt never throws on arbitrary params and templates', () => {
    fc.assert(fc.property(promptish, fc.dictionary(fc.string(), fc.anything()), fc.boolean(), (text, params, fromStrings) => {
      const { file } = parsePromptFile(text);
      const result = renderPrompt(file, params, (id) => (id === 'self' ? file : undefined), { fromStrings });
      const rendered = result.text !== undefined || result.messages !== undefined;
      assert.equal(rendered, !result.problems.some((p) => p.severity === 'error'));
    }), { numRuns: 500 });
  });

  it('parse(serialize(file)) keeps the model', () => {
    fc.assert(fc.property(fileArb, (file) => {
      const text = serializePromptFile(file);
      const { file: back, problems } = parsePromptFile(text);
      assert.deepEqual(problems.filter((p) => p.range.start < back.bodyStart), [], 'the front matter written is valid');
      assert.deepEqual(model(back), model(file));
    }), { numRuns: 150 });
  });

  it('serialize with the original keeps the model after edits', () => {
    fc.assert(fc.property(fileArb, fileArb, (before, after) => {
      const original = serializePromptFile(before);
      const parsed = parsePromptFile(original).file;
      const edited: PromptFile = { ...parsed, ...model(after) };
      assert.deepEqual(model(parsePromptFile(serializePromptFile(edited, original)).file), model(after));
    }), { numRuns: 100 });
  });
});

const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/).filter((n) => n !== '__proto__');
const valueOf: Record<ParamSchema['type'], fc.Arbitrary<unknown>> = {
  string: fc.string(),
  number: fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
  integer: fc.integer(),
  boolean: fc.boolean(),
  array: fc.array(fc.jsonValue(), { maxLength: 3 }),
  object: fc.dictionary(fc.string().filter((k) => k !== '__proto__'), fc.jsonValue(), { maxKeys: 3 }),
};
const paramArb: fc.Arbitrary<ParamSchema> = fc.constantFrom(...(Object.keys(valueOf) as ParamSchema['type'][])).chain((type) =>
  fc.record(
    {
      type: fc.constant(type),
      required: fc.boolean(),
      description: fc.string(),
      default: valueOf[type],
      enum: fc.array(valueOf[type], { minLength: 1, maxLength: 3 }),
    },
    { requiredKeys: ['type'] },
  ).map((schema) => (schema.enum && schema.default !== undefined ? { ...schema, enum: [...schema.enum, schema.default] } : schema)),
);
const schemaArb = fc.dictionary(name, paramArb, { maxKeys: 4 });
const fileArb: fc.Arbitrary<PromptFile> = fc.record({
  type: fc.constantFrom('text' as const, 'chat' as const),
  description: fc.option(fc.string(), { nil: undefined }),
  params: schemaArb,
  tags: fc.array(fc.string(), { maxLength: 3 }),
  model: fc.option(fc.dictionary(fc.string().filter((k) => k !== '__proto__'), fc.jsonValue(), { maxKeys: 3 }), { nil: undefined }),
  status: fc.constantFrom('draft' as const, 'active' as const, 'deprecated' as const),
  body: fc.string(),
}).map((f) => ({ ...f, params: plain(f.params), model: f.model && plain(f.model), bodyStart: 0, data: {}, ranges: { params: {}, keys: {} } }));

/** Ordinary JSON data: fast-check also makes null-prototype objects and -0, which YAML cannot tell apart from `{}` and 0. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function model(file: PromptFile) {
  const { type, description, params, tags, model, status, body } = file;
  return { type, description, params, tags, model, status, body };
}

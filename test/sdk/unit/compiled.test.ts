import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ParamSchema, PromptFile } from '../../../core/promptFile';
import { renderPrompt } from '../../../core/template';
import { compilePrompt, type CompileInput } from '../../../sdk/compiled';

const schema: Record<string, ParamSchema> = {
  name: { type: 'string', required: true },
  tier: { type: 'string', enum: ['free', 'premium'], default: 'free' },
  count: { type: 'integer' },
  ratio: { type: 'number', default: 0.5 },
  flag: { type: 'boolean' },
  items: { type: 'array' },
  user: { type: 'object' },
};
const partialSchema: Record<string, ParamSchema> = { team: { type: 'string', default: 'Acme' } };

function asFile(type: 'text' | 'chat', body: string, params: Record<string, ParamSchema>): PromptFile {
  return { type, params, body, bodyStart: 0, tags: [], status: 'active', data: {}, ranges: { params: {}, keys: {} } };
}

/** What core renders, in the compiled renderer's shape; undefined when core reports an error. */
function coreRender(input: CompileInput, given: Record<string, unknown>) {
  const partial = (id: string) => {
    const p = input.partials?.[id];
    return p && asFile(input.type, p.template, p.params);
  };
  const out = renderPrompt(asFile(input.type, input.template, input.params), given, partial, { id: 'main' });
  if (out.text === undefined && out.messages === undefined) return undefined;
  return { text: out.text ?? null, messages: out.messages ?? null, params: out.values };
}

const piece = fc.oneof(
  fc.constantFrom('Hello ', ' ', '\n', '  ', 'x', '!', '\t', '<b>&amp;</b>', 'system:\n', 'user:\n', '{', '}'),
  fc.constantFrom('{{name}}', '{{{name}}}', '{{& tier}}', '{{count}}', '{{ratio}}', '{{flag}}', '{{items}}', '{{user}}', '{{user.id}}', '{{missing}}', '{{team}}'),
  fc.constantFrom('{{#items}}[{{.}}]{{/items}}', '{{^flag}}off{{/flag}}', '{{#flag}}\n  on\n{{/flag}}\n', '{{! a comment }}', '{{#user}}{{id}}{{/user}}'),
  fc.constantFrom('{{> sig}}', '\n  {{> sig}}\n', '{{> nested}}', '{{> nope}}', '{{#name}}', '{{/name}}', '{{=<% %>=}}<%name%><%={{ }}=%>'),
);

const values = fc.record(
  {
    name: fc.oneof(fc.string({ maxLength: 6 }), fc.constant(7)),
    tier: fc.constantFrom('free', 'premium', 'gold'),
    count: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(1.5), fc.constant('3')),
    ratio: fc.double({ noNaN: true, noDefaultInfinity: true }),
    flag: fc.boolean(),
    items: fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), { maxLength: 3 }),
    user: fc.record({ id: fc.integer() }),
    team: fc.constantFrom('Core', 'Ops'),
    extra: fc.constant('unknown'),
  },
  { requiredKeys: [] },
);

describe('sdk compiled render', () => {
  it('renders exactly as core does, or leaves the decision to core (property)', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.constantFrom('text', 'chat') as fc.Arbitrary<'text' | 'chat'>, fc.array(values, { minLength: 1, maxLength: 4 }), (pieces, type, calls) => {
        const input: CompileInput = {
          type,
          template: pieces.join(''),
          params: schema,
          partials: { sig: { template: '-- {{team}}\nbye\n', params: partialSchema }, nested: { template: 'in {{> sig}}', params: {} } },
        };
        const compiled = compilePrompt(input);
        for (const given of calls) {
          const expected = coreRender(input, given);
          const actual = compiled?.render(given);
          if (actual !== undefined) assert.deepEqual(actual, expected, `template ${JSON.stringify(input.template)} with ${JSON.stringify(given)}`);
          if (expected === undefined) assert.equal(actual, undefined);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('takes the flat path for the common template and still agrees with core', () => {
    const input: CompileInput = { type: 'text', template: 'Welcome to {{app_name}}! You are on the {{tier}} plan.\n{{> sig}}', params: { app_name: { type: 'string', required: true }, tier: schema.tier }, partials: { sig: { template: '-- {{team}}\n', params: partialSchema } } };
    const compiled = compilePrompt(input)!;
    assert.deepEqual(compiled.render({ app_name: 'Acme' }), { text: 'Welcome to Acme! You are on the free plan.\n-- Acme\n', messages: null, params: { app_name: 'Acme', tier: 'free', team: 'Acme' } });
    assert.deepEqual(compiled.render({ app_name: 'Acme', team: 'Ops' }), coreRender(input, { app_name: 'Acme', team: 'Ops' }));
    assert.equal(compiled.render({}), undefined, 'a missing param is for core to report');
  });

  it('leaves cycles and unknown partials to core', () => {
    assert.equal(compilePrompt({ type: 'text', template: '{{> a}}', params: {}, partials: { a: { template: '{{> a}}', params: {} } } }), undefined);
    assert.equal(compilePrompt({ type: 'text', template: '{{> nope}}', params: {} }), undefined);
  });
});

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParamSchema, ParamType, PromptFile } from '../../core/promptFile';
import { renderPrompt } from '../../core/template';
import { compilePrompt } from '../../sdk/compiled';

/**
 * Every case of the Mustache spec (test/fixtures/mustache-spec, see its README) rendered
 * as a text prompt: each top-level key of the spec's data becomes a declared param, each
 * spec partial a prompt of the repo. Cases the product renders differently on purpose are
 * listed below with the reason; every other case must give the spec's exact output, both
 * through core's renderer and through the SDK's compiled render.
 */
const SPEC_DIR = join(__dirname, '../fixtures/mustache-spec');

/** Deliberate differences, by `module: case name`, each with what the product does instead. */
const DIFFERENT: Record<string, { why: string; problem?: string; text?: string }> = {
  // No HTML escaping: prompts are not HTML, so `{{x}}` inserts the value as is.
  'interpolation: HTML Escaping': { why: 'no HTML escaping', text: 'These characters should be HTML escaped: & " < >\n' },
  'sections: Implicit Iterator - HTML Escaping': { why: 'no HTML escaping', text: '"(&)(")(<)(>)"' },
  // The values of a prompt are always named params, never a bare string, number or list.
  'interpolation: Implicit Iterators - Basic Interpolation': { why: 'the root value is always an object of params' },
  'interpolation: Implicit Iterators - HTML Escaping': { why: 'the root value is always an object of params' },
  'interpolation: Implicit Iterators - Triple Mustache': { why: 'the root value is always an object of params' },
  'interpolation: Implicit Iterators - Ampersand': { why: 'the root value is always an object of params' },
  'interpolation: Implicit Iterators - Basic Integer Interpolation': { why: 'the root value is always an object of params' },
  'sections: Implicit Iterator - Root-level': { why: 'the root value is always an object of params' },
  // An include must name a prompt that exists and must not lead back to itself: a render never silently drops or loops.
  'partials: Failed Lookup': { why: 'an unknown include is an error, not empty', problem: 'unknown_partial' },
  'partials: Recursion': { why: 'includes may not form a cycle', problem: 'partial_cycle' },
};

interface SpecCase { name: string; desc: string; data: unknown; template: string; partials?: Record<string, string>; expected: string }

function asFile(body: string, params: Record<string, ParamSchema> = {}): PromptFile {
  return { type: 'text', params, body, bodyStart: 0, tags: [], status: 'active', data: {}, ranges: { params: {}, keys: {} } };
}

function typeOf(value: unknown): ParamType {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string';
}

/** Renders a spec case through core (and the SDK when it compiles it); a top-level null is a param not given. */
function render(test: SpecCase) {
  const data = test.data as Record<string, unknown>;
  const params: Record<string, ParamSchema> = {};
  const given: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(data)) {
    params[name] = { type: typeOf(value) };
    if (value !== null) given[name] = value;
  }
  const partials = test.partials ?? {};
  const lookup = (id: string) => (Object.hasOwn(partials, id) ? asFile(partials[id]) : undefined);
  const core = renderPrompt(asFile(test.template, params), given, lookup, { id: 'spec' });
  const compiled = compilePrompt({ type: 'text', template: test.template, params, partials: Object.fromEntries(Object.entries(partials).map(([id, template]) => [id, { template, params: {} }])) });
  return { core, sdk: compiled?.render(given)?.text };
}

const modules = ['comments', 'delimiters', 'interpolation', 'inverted', 'partials', 'sections'];

describe('Mustache spec', () => {
  for (const module of modules) {
    const spec = JSON.parse(readFileSync(join(SPEC_DIR, `${module}.json`), 'utf8')) as { tests: SpecCase[] };
    describe(module, () => {
      const excluded: SpecCase[] = [];
      // Cases left out are only those whose root value is not an object: a prompt's values are always named params.
      it('leaves out only cases whose root value is not an object of params', () => {
        for (const test of excluded) assert.ok(typeof test.data !== 'object' || test.data === null || Array.isArray(test.data), test.name);
      });
      for (const test of spec.tests) {
        const different = DIFFERENT[`${module}: ${test.name}`];
        if (different && different.problem === undefined && different.text === undefined) {
          excluded.push(test);
          continue;
        }
        it(different ? `${test.name} (differs: ${different.why})` : test.name, () => {
          const { core, sdk } = render(test);
          if (different?.problem) {
            assert.deepEqual(core.problems.map((p) => p.code), [different.problem]);
            return;
          }
          const expected = different?.text ?? test.expected;
          assert.deepEqual(core.problems, []);
          assert.equal(core.text, expected, test.desc);
          if (sdk !== undefined) assert.equal(sdk, expected, 'the SDK compiled render');
        });
      }
    });
  }

  // Optional in the spec and not supported: each case names the unsupported syntax rather than an unknown prompt.
  describe('dynamic names (not supported)', () => {
    const spec = JSON.parse(readFileSync(join(SPEC_DIR, 'dynamic-names.json'), 'utf8')) as { tests: SpecCase[] };
    for (const test of spec.tests) {
      it(test.name, () => {
        const { core, sdk } = render(test);
        assert.equal(sdk, undefined);
        assert.deepEqual(core.problems.map((p) => p.code), ['dynamic_partial']);
        assert.match(core.problems[0].message, /dynamic partial names are not supported/);
      });
    }
  });
});

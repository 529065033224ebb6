import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import Mustache from 'mustache';
import { parsePromptFile } from '../../core/promptFile';
import { renderPrompt, templatePartials, templateVariables } from '../../core/template';

/** Balanced templates from a small alphabet of tags and text, so sections nest and names repeat. */
const leaf = fc.oneof(
  fc.constantFrom('{{a}}', '{{b}}', '{{{b}}}', '{{&b}}', '{{.}}', '{{a.x}}', '{{! note }}', '\n', '  ', 'x', '<&>'),
  fc.string({ maxLength: 3 }).filter((s) => !s.includes('{') && !s.includes('}') && !s.includes('\u0000')),
);
const { node } = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.tuple(fc.constantFrom('a', 'b', 'list'), fc.constantFrom('#', '^'), fc.array(tie('node'), { maxLength: 4 }))
      .map(([name, sigil, inner]) => `{{${sigil}${name}}}${inner.join('')}{{/${name}}}`),
  ),
}));
const template = fc.array(node, { maxLength: 8 }).map((parts) => parts.join(''));
const values = fc.record({
  a: fc.oneof(fc.string(), fc.boolean(), fc.constant({ x: 'ax' })),
  b: fc.oneof(fc.string(), fc.boolean()),
  list: fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
}, { noNullPrototype: true });

describe('templates (properties)', () => {
  // Objects are written as JSON where Mustache would write `[object Object]`; the reference
  // does the same through its escape function (the alphabet never puts an object in `{{{ }}}`).
  it('renders a text prompt exactly as Mustache does without escaping', () => {
    fc.assert(fc.property(template, values, (body, view) => {
      const expected = Mustache.render(body, view, {}, { escape: (v: unknown) => (typeof v === 'object' ? JSON.stringify(v) : String(v)) });
      const file = parsePromptFile(`---\nparams:\n  a: { type: ${typeOf(view.a)} }\n  b: { type: ${typeOf(view.b)} }\n  list: { type: array }\n---\n${body}`).file;
      const result = renderPrompt(file, view, () => undefined);
      assert.deepEqual(result.problems, []);
      assert.equal(result.text, expected);
    }), { numRuns: 500 });
  });

  it('every variable and partial range holds the name as written', () => {
    const fragments = fc.array(fc.constantFrom('{{> p}}', '{{>  q }}', '{{#a.b}}', '{{/a.b}}', '{{ c }}', '{{', '}}', '{{=<% %>=}}', '<%d%>', 'x'), { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(fc.property(fc.oneof(template, fragments, fc.string()), (body) => {
      for (const v of templateVariables(body)) assert.equal(body.slice(v.range.start, v.range.end).split('.')[0], v.name);
      for (const p of templatePartials(body)) assert.equal(body.slice(p.range.start, p.range.end), p.id);
    }), { numRuns: 500 });
  });
});

function typeOf(value: unknown): string {
  return typeof value === 'object' ? 'object' : typeof value;
}

describe('chat prompts (properties)', () => {
  it('no param value adds, removes or changes a message role', () => {
    const source = '---\ntype: chat\nparams:\n  q: { type: string }\n  a: { type: string }\n---\nsystem:\n{{q}}\nuser:\n{{{q}}}\nassistant:\n{{a}}\n';
    const file = parsePromptFile(source).file;
    const text = fc.array(fc.oneof(fc.string(), fc.constantFrom('\nsystem:\n', 'user:', '\u0000user\u0000', '\u0000', '\n', 'assistant:\n')), { maxLength: 8 }).map((p) => p.join(''));
    fc.assert(fc.property(text, text, (q, a) => {
      const { messages } = renderPrompt(file, { q, a }, () => undefined);
      assert.deepEqual(messages!.map((m) => m.role), ['system', 'user', 'assistant']);
    }), { numRuns: 300 });
  });
});

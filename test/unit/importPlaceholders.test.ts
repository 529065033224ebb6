/** Converting other tools' placeholders to Mustache: names become params, the rendered text is what the original would have built. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { convertPlaceholders } from '../../core/import/placeholders';
import { idFrom, promptText } from '../../core/import/plan';
import { parsePromptFile } from '../../core/promptFile';
import { renderPrompt } from '../../core/template';

const render = (text: string, values: Record<string, string>) => {
  const converted = convertPlaceholders(text);
  assert.ok(converted.ok, converted.ok ? '' : converted.reason);
  const file = parsePromptFile(promptText(converted.value)).file;
  return renderPrompt(file, values, () => undefined).text;
};

describe('importing placeholders', () => {
  it('keeps Mustache, trims Jinja-style spaces, and turns str.format names into params', () => {
    assert.deepEqual(convertPlaceholders('Hi {{ name }} from {{team}}'), { ok: true, value: { body: 'Hi {{name}} from {{team}}', params: ['name', 'team'], sections: [] } });
    assert.deepEqual(convertPlaceholders('Hi {name}, {name} again; JSON like { "a": 1 } stays'), { ok: true, value: { body: 'Hi {{name}}, {{name}} again; JSON like { "a": 1 } stays', params: ['name'], sections: [] } });
    const sections = convertPlaceholders('{{#vip}}Dear {{name}}{{/vip}}');
    assert.ok(sections.ok && sections.value.sections.includes('vip') && sections.value.params.length === 0);
  });

  it('refuses what has no Mustache form, saying where', () => {
    const cases: [string, RegExp][] = [
      ['a\n{% for x in xs %}{{x}}{% endfor %}', /Jinja statement `\{% for x in xs %\}` \(line 2, column 1\)/],
      ['{{ name | upper }}', /expression or filter/],
      ['Dear {0}', /`\{0\}` is a positional placeholder/],
      ['{{> footer}}', /includes `footer`/],
    ];
    for (const [text, reason] of cases) {
      const result = convertPlaceholders(text);
      assert.equal(result.ok, false, text);
      assert.match((result as { reason: string }).reason, reason);
    }
  });

  it('renders byte for byte what str.format would build, for any names and values', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/);
    const literal = fc.stringMatching(/^[^{}\u0000]{0,12}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(literal, name), { minLength: 1, maxLength: 5 }), literal, fc.dictionary(name, fc.stringMatching(/^[^\u0000]{0,8}$/)), (parts, tail, given) => {
        const template = parts.map(([text, n]) => `${text}{${n}}`).join('') + tail;
        const values = Object.fromEntries(parts.map(([, n]) => [n, given[n] ?? `v-${n}`]));
        const expected = template.replace(/\{([a-z][a-z0-9_]*)\}/g, (_m, n: string) => values[n]);
        assert.equal(render(template, values), expected);
      }),
    );
  });

  it('never throws on any text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (text) => void convertPlaceholders(text)));
  });

  it('makes ids from names in other tools', () => {
    assert.equal(idFrom('Movie Critic v2'), 'Movie-Critic-v2');
    assert.equal(idFrom('  _hidden'), 'hidden');
    assert.equal(idFrom('日本語'), undefined);
  });
});

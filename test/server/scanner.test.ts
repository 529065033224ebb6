import assert from 'node:assert/strict';
import fc from 'fast-check';
import { referenceAt, scanReferences } from '../../server/src/scanner/scanner';
import { DocumentCache } from '../../server/src/scanner/cache';

const found = (text: string, options = {}) => scanReferences(text, options).map((r) => [r.kind, r.text]);

describe('scanner', () => {
  const table: Array<[string, string, Array<[string, string]>]> = [
    ['TypeScript string', `const p = "prompt://localhost:7070/demo/welcome/production?app_name=Acme";`, [['uri', 'prompt://localhost:7070/demo/welcome/production?app_name=Acme']]],
    ['single quotes and template', `a('prompt://h/r/a'); b(\`prompt://h/r/b/v1.2.0\`)`, [['uri', 'prompt://h/r/a'], ['uri', 'prompt://h/r/b/v1.2.0']]],
    ['Python comment', `# see prompt://h/r/welcome/feature/x/HEAD for details`, [['uri', 'prompt://h/r/welcome/feature/x/HEAD']]],
    ['Markdown link and prose punctuation', `[w](prompt://h/r/w) and prompt://h/r/x.`, [['uri', 'prompt://h/r/w'], ['uri', 'prompt://h/r/x']]],
    ['YAML value', `prompt: prompt://h/r/summary/^1.2\nother: 1`, [['uri', 'prompt://h/r/summary/^1.2']]],
    ['JSON', `{"p": "prompt://h/r/a?x=1&y=2"}`, [['uri', 'prompt://h/r/a?x=1&y=2']]],
    ['Go SDK call with short ref', `p, err := pf.Get("PROMPT001:HEAD")`, [['short', 'PROMPT001:HEAD']]],
    ['Elixir SDK call with repo short ref', `Prompts.render("demo/welcome:production", %{})`, [['short', 'demo/welcome:production']]],
    ['short ref outside an SDK call is ignored', `x = "welcome:HEAD"`, []],
    ['URL inside get() is not a ref', `requests.get("http://example.com:80")`, []],
    ['other schemes ending in prompt are not URIs', `myprompt://h/r/a`, []],
    ['half-typed URI', `"prompt://h/r/`, [['uri', 'prompt://h/r/']]],
    ['nothing relevant', `function f() { return g(1) }`, []],
  ];
  for (const [name, text, expected] of table) {
    it(name, () => assert.deepEqual(found(text), expected));
  }

  it('recognises aliases and configured call names inside calls only', () => {
    const options = { aliases: new Set(['ONBOARDING']), sdkCallPatterns: ['loadPrompt', 'pf.fetch'] };
    assert.deepEqual(found(`loadPrompt('ONBOARDING'); pf.fetch("w:1.0.0"); x.fetch("w:1.0.0"); "ONBOARDING"`, options), [
      ['alias', 'ONBOARDING'],
      ['short', 'w:1.0.0'],
    ]);
  });

  it('reports exact offsets', () => {
    const text = 'x = "prompt://h/r/a"';
    const [ref] = scanReferences(text);
    assert.equal(text.slice(ref.start, ref.end), 'prompt://h/r/a');
  });

  describe('cursor mode', () => {
    const at = (marked: string) => {
      const offset = marked.indexOf('|');
      return referenceAt(marked.slice(0, offset) + marked.slice(offset + 1), offset);
    };
    it('finds a half-typed URI before the cursor', () => assert.equal(at('x("prompt://h/r/|')?.text, 'prompt://h/r/'));
    it('finds the URI the cursor is inside', () => assert.equal(at('"prompt://h/r/we|lcome/1.0.0"')?.text, 'prompt://h/r/welcome/1.0.0'));
    it('finds a half-typed short ref in an unterminated SDK call', () => assert.deepEqual(at('client.get("welc|')?.text, 'welc'));
    it('finds an empty SDK string being typed', () => assert.equal(at('client.get("|")')?.kind, 'short'));
    it('finds nothing away from references', () => assert.equal(at('let |x = "prompt://h/r/a"'), undefined));
  });

  describe('pathological input finishes', () => {
    it('a 1 MB line without references', () => assert.deepEqual(scanReferences('a('.repeat(500_000)), []));
    it('a 1 MB URI is cut at the length bound', () => {
      const refs = scanReferences('prompt://' + 'a'.repeat(1_000_000));
      assert.equal(refs.length, 1);
      assert.ok(refs.every((r) => r.text.length <= 2048));
    });
    it('10,000 URIs', () => {
      const text = Array.from({ length: 10_000 }, (_, i) => `const p${i} = "prompt://h/r/p${i}/HEAD";`).join('\n');
      assert.equal(scanReferences(text).length, 10_000);
    });
    it('unterminated strings in SDK calls', () => {
      const text = 'get("'.repeat(100_000) + 'get(\'a:b' + '\n'.repeat(10);
      assert.deepEqual(found(text), []);
    });
    it('a 1 MB string literal inside an SDK call', () => assert.deepEqual(found(`get("${'a:'.repeat(500_000)}")`), []));
  });

  it('never throws, and every result lies inside the text (property)', () => {
    const alphabet = fc.constantFrom('prompt://', 'get(', '"', "'", '`', ':', '/', '?', '&', '=', 'a', 'Z', '1', ' ', '\n', '(', ')', '.', 'h');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }).map((parts) => parts.join('')), fc.nat(), (text, cursor) => {
        for (const r of scanReferences(text)) assert.equal(text.slice(r.start, r.end), r.text);
        const hit = referenceAt(text, cursor % (text.length + 1));
        if (hit) assert.equal(text.slice(hit.start, hit.end), hit.text);
      }),
    );
  });
});

describe('DocumentCache', () => {
  it('computes once per (uri, version) and evicts the least recently used', () => {
    const cache = new DocumentCache<number>(2);
    let computed = 0;
    const get = (uri: string, version: number) => cache.get(uri, version, () => ++computed);
    get('a', 1);
    get('a', 1);
    assert.equal(computed, 1);
    get('a', 2);
    assert.equal(computed, 2);
    get('b', 1);
    get('a', 2); // a is now the most recent
    get('c', 1); // evicts b
    get('a', 2);
    assert.equal(computed, 4);
    get('b', 1);
    assert.equal(computed, 5);
  });
});

// The TextMate grammars are data VS Code compiles with Oniguruma; these checks compile
// every regex under Node (after the few Oniguruma-only anchors are mapped) and check
// that the scopes a user sees land on the right text.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';

interface Rule {
  match?: string;
  begin?: string;
  end?: string;
  patterns?: Rule[];
  repository?: Record<string, Rule>;
  include?: string;
}

const load = (path: string): Rule & { scopeName: string } => JSON.parse(readFileSync(path, 'utf8'));
const toJs = (onig: string) => new RegExp(onig.replace(/\\A/g, '^').replace(/\\[zZ]/g, '$'), 'm');

function* regexes(rule: Rule, where: string): Generator<[string, string]> {
  for (const key of ['match', 'begin', 'end'] as const) if (rule[key]) yield [`${where}.${key}`, rule[key]!];
  for (const [i, p] of (rule.patterns ?? []).entries()) yield* regexes(p, `${where}.patterns[${i}]`);
  for (const [name, r] of Object.entries(rule.repository ?? {})) yield* regexes(r, `${where}#${name}`);
}

const promptGrammar = load('syntaxes/prompt.tmLanguage.json');
const uriGrammar = load('syntaxes/prompt-uri.tmLanguage.json');
const uriRegex = toJs(uriGrammar.repository!.uri.match!);
const repo = promptGrammar.repository!;

describe('TextMate grammars', () => {
  for (const grammar of [promptGrammar, uriGrammar]) {
    it(`${grammar.scopeName}: every regex compiles and every include resolves`, () => {
      for (const [where, source] of regexes(grammar, grammar.scopeName)) {
        assert.doesNotThrow(() => toJs(source), `${where}: ${source}`);
      }
      const includes = JSON.stringify(grammar).match(/"include":\s*"#([^"]+)"/g) ?? [];
      for (const inc of includes) {
        const name = inc.replace(/.*#/, '').replace('"', '');
        assert.ok(grammar.repository?.[name], `${grammar.scopeName}: include #${name} has no repository entry`);
      }
    });
  }

  it('splits a prompt URI inside a TypeScript string into host, repo, id, version and query', () => {
    const line = `const p = await forge.render('prompt://localhost:7070/demo/welcome/production?app_name=Acme', {});`;
    const m = uriRegex.exec(line);
    assert.ok(m);
    assert.equal(m[0], 'prompt://localhost:7070/demo/welcome/production?app_name=Acme');
    assert.deepEqual([m[3], m[5], m[7], m[8], m[9]], ['localhost:7070', 'demo', 'welcome', '/production', '?app_name=Acme']);
  });

  it('keeps a version with slashes and stops at the closing quote in Python', () => {
    const m = uriRegex.exec(`text = forge.render("prompt://forge/demo/support-chat/feature/x~1")`);
    assert.equal(m?.[0], 'prompt://forge/demo/support-chat/feature/x~1');
    assert.equal(m?.[8], '/feature/x~1');
  });

  it('never runs past a quote, whitespace or bracket that ends the string', () => {
    const uriChar = fc.constantFrom(...'abcXYZ019._-/:?&=~%^');
    const tail = fc.constantFrom('"', "'", '`', ' ', ')', ']', '}', '\n', '<');
    fc.assert(
      fc.property(fc.string({ unit: uriChar, maxLength: 40 }), tail, fc.string({ maxLength: 20 }), (body, end, rest) => {
        const m = uriRegex.exec(`x = "prompt://h${body}${end}${rest}`);
        assert.ok(m);
        assert.ok(!m[0].includes(end), `${JSON.stringify(m[0])} ran past ${JSON.stringify(end)}`);
      }),
    );
  });

  it('recognises front matter only at the top, role lines, and each kind of Mustache tag', () => {
    // \A anchors front matter to the first line of the file, never a later `---`.
    assert.match(repo['front-matter'].begin!, /^\\A/);
    assert.ok(toJs(repo['front-matter'].begin!).test('---\ndescription: x'));
    const role = toJs(repo.role.match!);
    for (const r of ['system:', 'user:', 'assistant:  ']) assert.ok(role.test(r), r);
    for (const r of ['users:', 'the user: says', 'system: hi']) assert.ok(!role.test(r), r);
    assert.deepEqual(toJs(repo.partial.match!).exec('{{> signature}}')?.[3], 'signature');
    assert.deepEqual(toJs(repo.section.match!).exec('{{#premium}}')?.slice(2, 4), ['#', 'premium']);
    assert.deepEqual(toJs(repo.variable.match!).exec('Hi {{ app_name }}!')?.[2], 'app_name');
    assert.deepEqual(toJs(repo.unescaped.match!).exec('{{{raw}}}')?.[2], 'raw');
    assert.ok(toJs(repo.comment.begin!).test('{{! note }}'));
  });
});

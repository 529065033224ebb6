import { strict as assert } from 'node:assert';
import { expandReference, formatPromptUri, isValidSegment, parsePromptUri, parseShortRef, pinnedUri, type ParsedPromptUri, type PromptUri } from '../../core/uri';

/** `⟦` and `⟧` mark the expected error range inside the input; they are removed before parsing. */
function marked(text: string): { input: string; start: number; end: number } {
  const start = text.indexOf('⟦');
  const end = text.indexOf('⟧') - 1;
  return { input: text.replace('⟦', '').replace('⟧', ''), start, end };
}

function codes(parsed: ParsedPromptUri): string[] {
  return parsed.errors.map((e) => e.code);
}

describe('parsePromptUri', () => {
  const valid: [string, PromptUri][] = [
    ['prompt://localhost:7070/demo/welcome', { host: 'localhost:7070', repo: 'demo', id: 'welcome', params: {} }],
    ['prompt://forge/demo/welcome/production', { host: 'forge', repo: 'demo', id: 'welcome', version: 'production', params: {} }],
    ['PROMPT://forge/demo/welcome', { host: 'forge', repo: 'demo', id: 'welcome', params: {} }],
    ['prompt://forge.example.com/demo/welcome/main/HEAD', { host: 'forge.example.com', repo: 'demo', id: 'welcome', version: 'main/HEAD', params: {} }],
    ['prompt://forge/demo/welcome/feature/x', { host: 'forge', repo: 'demo', id: 'welcome', version: 'feature/x', params: {} }],
    ['prompt://forge/demo/welcome/feature/x/HEAD~2', { host: 'forge', repo: 'demo', id: 'welcome', version: 'feature/x/HEAD~2', params: {} }],
    ['prompt://forge/demo/welcome/%3E%3D1.0.0%20%3C2.0.0', { host: 'forge', repo: 'demo', id: 'welcome', version: '>=1.0.0 <2.0.0', params: {} }],
    ['prompt://forge/demo/welcome/^1.2', { host: 'forge', repo: 'demo', id: 'welcome', version: '^1.2', params: {} }],
    ['prompt://forge/demo/welcome/~1.2.3', { host: 'forge', repo: 'demo', id: 'welcome', version: '~1.2.3', params: {} }],
    ['prompt://forge/demo/welcome/v1.2.3+build.5', { host: 'forge', repo: 'demo', id: 'welcome', version: 'v1.2.3+build.5', params: {} }],
    ['prompt://[::1]:7070/demo/welcome', { host: '[::1]:7070', repo: 'demo', id: 'welcome', params: {} }],
    ['prompt://f/r.1/a_b-c.d/x', { host: 'f', repo: 'r.1', id: 'a_b-c.d', version: 'x', params: {} }],
    ['prompt://f/r/i?app_name=Acme&tier=free', { host: 'f', repo: 'r', id: 'i', params: { app_name: 'Acme', tier: 'free' } }],
    ['prompt://f/r/i?q=a+b', { host: 'f', repo: 'r', id: 'i', params: { q: 'a+b' } }],
    ['prompt://f/r/i?q=a%20b%26c%3Dd', { host: 'f', repo: 'r', id: 'i', params: { q: 'a b&c=d' } }],
    ['prompt://f/r/i?q=', { host: 'f', repo: 'r', id: 'i', params: { q: '' } }],
    ['prompt://f/r/i?q=x=y', { host: 'f', repo: 'r', id: 'i', params: { q: 'x=y' } }],
    ['prompt://f/r/i?name=J%C3%BCrgen%20%F0%9F%98%80', { host: 'f', repo: 'r', id: 'i', params: { name: 'Jürgen 😀' } }],
    ['prompt://f/r/i?text=line1%0Aline2', { host: 'f', repo: 'r', id: 'i', params: { text: 'line1\nline2' } }],
    ['prompt://f/r/i?', { host: 'f', repo: 'r', id: 'i', params: {} }],
  ];
  for (const [text, uri] of valid) {
    it(`reads ${text}`, () => {
      const parsed = parsePromptUri(text);
      assert.deepEqual(parsed.errors, []);
      assert.deepEqual(parsed.uri, uri);
      assert.equal(parsed.form, 'full');
    });
  }

  const invalid: [marked: string, code: string, quoted?: string][] = [
    ['⟦http://⟧forge/demo/welcome', 'invalid_scheme', '"http"'],
    ['⟦prompt:/⟧', 'invalid_scheme', 'incomplete'],
    ['⟦welcome⟧', 'invalid_scheme', '"welcome"'],
    ['⟦ ⟧', 'invalid_scheme'],
    ['prompt://⟦⟧/demo/welcome', 'missing_host'],
    ['prompt://forge:⟦0⟧/demo/welcome', 'invalid_host', '"0"'],
    ['prompt://forge:⟦65536⟧/demo/welcome', 'invalid_host', '"65536"'],
    ['prompt://forge:⟦70a⟧/demo/welcome', 'invalid_host', '"70a"'],
    ['prompt://forge⟦:⟧/demo/welcome', 'invalid_host', 'port'],
    ['prompt://user⟦@⟧forge/demo/welcome', 'invalid_host', '"@"'],
    ['prompt://for⟦ ⟧ge/demo/welcome', 'invalid_host', 'a space'],
    ['prompt://⟦-⟧forge/demo/welcome', 'invalid_host', 'start'],
    ['prompt://forge⟦.⟧/demo/welcome', 'invalid_host', 'end'],
    ['prompt://a⟦..⟧b/demo/welcome', 'invalid_host', '..'],
    ['prompt://⟦:⟧7070/demo/welcome', 'invalid_host', 'missing'],
    ['prompt://[::⟦g⟧]/demo/welcome', 'invalid_host', '"g"'],
    ['prompt://forge⟦⟧', 'missing_repo'],
    ['prompt://forge/⟦⟧/welcome', 'missing_repo'],
    ['prompt://forge/demo⟦⟧', 'missing_id'],
    ['prompt://forge/demo/⟦⟧', 'missing_id'],
    ['prompt://forge/demo/⟦⟧?x=1', 'missing_id'],
    ['prompt://forge/⟦.⟧demo/welcome', 'invalid_repo', 'start'],
    ['prompt://forge/de⟦%⟧20mo/welcome', 'invalid_repo', '"%"'],
    ['prompt://forge/demo/wel⟦ ⟧come', 'invalid_id', 'a space'],
    ['prompt://forge/demo/wel⟦é⟧come', 'invalid_id', 'U+00E9'],
    ['prompt://forge/demo/welcome⟦/⟧', 'invalid_version', 'empty'],
    ['prompt://forge/demo/welcome/main⟦ ⟧x', 'invalid_version', '%20'],
    ['prompt://forge/demo/welcome/main⟦/⟧', 'invalid_version', 'empty path component'],
    ['prompt://forge/demo/welcome/⟦-⟧x', 'invalid_version', '"-"'],
    ['prompt://forge/demo/welcome/a⟦..⟧b', 'invalid_version', '".."'],
    ['prompt://forge/demo/welcome/main⟦@{⟧1}', 'invalid_version', '"@{"'],
    ['prompt://forge/demo/welcome/main⟦%00⟧', 'invalid_version', 'U+0000'],
    ['prompt://forge/demo/welcome/a⟦:⟧b', 'invalid_version', '":"'],
    ['prompt://forge/demo/welcome/HEAD⟦~⟧', 'invalid_version', '~1'],
    ['prompt://forge/demo/welcome/x⟦%2⟧', 'invalid_encoding', '"%2"'],
    ['prompt://forge/demo/welcome/x⟦%zz⟧y', 'invalid_encoding', 'two hex digits'],
    ['prompt://forge/demo/welcome/x⟦%C3⟧', 'invalid_encoding', 'UTF-8'],
    ['prompt://forge/demo/welcome?a=⟦%FF⟧%FE', 'invalid_encoding', 'UTF-8'],
    ['prompt://forge/demo/welcome?a=1&b=2&⟦a=3⟧', 'duplicate_param', '"a"'],
    ['prompt://forge/demo/welcome?⟦=1⟧', 'invalid_param', 'no name'],
    ['prompt://forge/demo/welcome?a=1⟦&⟧', 'invalid_param', 'empty'],
    ['prompt://forge/demo/welcome?a=1&⟦&⟧b=2', 'invalid_param', 'empty'],
    ['prompt://forge/demo/welcome?⟦flag⟧', 'invalid_param', '"flag="'],
    ['prompt://forge/demo/welcome?a=b⟦ ⟧c', 'invalid_param', 'a space'],
    ['prompt://forge/demo/welcome/main⟦#top⟧', 'invalid_fragment', '"#top"'],
    ['prompt://forge/demo/welcome?a=1⟦#⟧', 'invalid_fragment'],
  ];
  for (const [text, code, quoted] of invalid) {
    it(`reports ${code} for ${text}`, () => {
      const { input, start, end } = marked(text);
      const parsed = parsePromptUri(input);
      const error = parsed.errors.find((e) => e.code === code);
      assert.ok(error, `expected ${code}, got ${JSON.stringify(parsed.errors)}`);
      assert.deepEqual(error.range, { start, end });
      if (quoted) assert.ok(error.message.includes(quoted), `message ${JSON.stringify(error.message)} should mention ${quoted}`);
      assert.equal(parsed.uri, undefined);
    });
  }

  it('reports only the duplicate for a repeated parameter and keeps the first value', () => {
    const parsed = parsePromptUri('prompt://f/r/i?a=1&a=2');
    assert.deepEqual(codes(parsed), ['duplicate_param']);
    assert.deepEqual(parsed.partial.params, { a: '1' });
    assert.deepEqual(
      parsed.ranges.params.map((p) => [p.name, p.value]),
      [['a', '1'], ['a', '2']],
    );
  });

  it('gives the range of every part, for editors', () => {
    const text = 'prompt://forge:7070/demo/welcome/feature%2Fx?app=Acme%21&tier=free';
    const parsed = parsePromptUri(text);
    const slice = (r?: { start: number; end: number }) => (r ? text.slice(r.start, r.end) : undefined);
    assert.equal(slice(parsed.ranges.host), 'forge:7070');
    assert.equal(slice(parsed.ranges.repo), 'demo');
    assert.equal(slice(parsed.ranges.id), 'welcome');
    assert.equal(slice(parsed.ranges.version), 'feature%2Fx');
    assert.equal(slice(parsed.ranges.query), 'app=Acme%21&tier=free');
    assert.deepEqual(
      parsed.ranges.params.map((p) => [p.name, p.value, slice(p.nameRange), slice(p.valueRange)]),
      [['app', 'Acme!', 'app', 'Acme%21'], ['tier', 'free', 'tier', 'free']],
    );
    assert.equal(parsed.uri?.version, 'feature/x');
  });

  it('reads what it can of a half-typed URI', () => {
    const parsed = parsePromptUri('prompt://forge/demo/');
    assert.deepEqual(parsed.partial, { host: 'forge', repo: 'demo', id: '', params: {} });
    assert.deepEqual(codes(parsed), ['missing_id']);
    const typing = parsePromptUri('prompt://forge/demo/welcome/prod?app=');
    assert.deepEqual(typing.errors, []);
    assert.equal(typing.partial.version, 'prod');
  });

  it('maps a version error inside percent-encoded text back to the source', () => {
    const { input, start, end } = marked('prompt://f/r/i/ok%2F⟦%2E%2E⟧%2Fx');
    const error = parsePromptUri(input).errors[0];
    assert.equal(error.code, 'invalid_version');
    assert.deepEqual(error.range, { start, end });
  });

  it('keeps a parameter named __proto__ as data', () => {
    const parsed = parsePromptUri('prompt://f/r/i?__proto__=x&constructor=y');
    assert.deepEqual(parsed.errors, []);
    assert.equal(Object.getOwnPropertyDescriptor(parsed.uri!.params, '__proto__')?.value, 'x');
    assert.equal(parsed.uri!.params.constructor, 'y');
    assert.equal(formatPromptUri(parsed.uri!), 'prompt://f/r/i?__proto__=x&constructor=y');
  });

  it('refuses overlong input without reading it', () => {
    const text = 'prompt://f/r/i?a=' + 'x'.repeat(9000);
    const parsed = parsePromptUri(text);
    assert.deepEqual(codes(parsed), ['too_long']);
    assert.deepEqual(parsed.errors[0].range, { start: 0, end: text.length });
  });
});

describe('parseShortRef', () => {
  const defaults = { host: 'localhost:7070', repo: 'demo' };
  const valid: [string, PromptUri][] = [
    ['welcome', { host: 'localhost:7070', repo: 'demo', id: 'welcome', params: {} }],
    ['PROMPT001:HEAD', { host: 'localhost:7070', repo: 'demo', id: 'PROMPT001', version: 'HEAD', params: {} }],
    ['welcome:production~1', { host: 'localhost:7070', repo: 'demo', id: 'welcome', version: 'production~1', params: {} }],
    ['other/welcome:feature/x', { host: 'localhost:7070', repo: 'other', id: 'welcome', version: 'feature/x', params: {} }],
    ['other/welcome', { host: 'localhost:7070', repo: 'other', id: 'welcome', params: {} }],
    ['welcome:^1.2?tier=free', { host: 'localhost:7070', repo: 'demo', id: 'welcome', version: '^1.2', params: { tier: 'free' } }],
    ['welcome:%3E%3D1.0.0%20%3C2.0.0', { host: 'localhost:7070', repo: 'demo', id: 'welcome', version: '>=1.0.0 <2.0.0', params: {} }],
  ];
  for (const [text, uri] of valid) {
    it(`completes ${text}`, () => {
      const parsed = parseShortRef(text, defaults);
      assert.deepEqual(parsed.errors, []);
      assert.deepEqual(parsed.uri, uri);
      assert.equal(parsed.form, 'short');
    });
  }

  const invalid: [marked: string, code: string, given?: { host?: string; repo?: string }][] = [
    ['⟦⟧welcome', 'missing_repo', { host: 'h' }],
    ['⟦⟧welcome', 'missing_host', { repo: 'r' }],
    ['⟦⟧:HEAD', 'missing_id'],
    ['demo/⟦⟧:HEAD', 'missing_id'],
    ['demo/a⟦/⟧b:HEAD', 'invalid_id'],
    ['⟦_⟧demo/x', 'invalid_repo'],
    ['welcome⟦:⟧', 'invalid_version'],
    ['welcome:a⟦..⟧b', 'invalid_version'],
    ['welcome:x⟦#y⟧', 'invalid_fragment'],
    ['welcome:HEAD?a=1&⟦a=2⟧', 'duplicate_param'],
  ];
  for (const [text, code, given] of invalid) {
    it(`reports ${code} for ${text}`, () => {
      const { input, start, end } = marked(text);
      const parsed = parseShortRef(input, given ?? defaults);
      const error = parsed.errors.find((e) => e.code === code);
      assert.ok(error, `expected ${code}, got ${JSON.stringify(parsed.errors)}`);
      assert.deepEqual(error.range, { start, end });
      assert.equal(parsed.uri, undefined);
    });
  }

  it('names the parts it read for editors', () => {
    const parsed = parseShortRef('other/welcome:main/HEAD', defaults);
    assert.deepEqual(parsed.ranges.repo, { start: 0, end: 5 });
    assert.deepEqual(parsed.ranges.id, { start: 6, end: 13 });
    assert.deepEqual(parsed.ranges.version, { start: 14, end: 23 });
    assert.equal(parsed.ranges.host, undefined);
  });
});

describe('expandReference', () => {
  const options = {
    defaults: { host: 'localhost:7070', repo: 'demo' },
    aliases: { ONBOARDING: 'prompt://forge/demo/welcome/production?tier=free', SHORT: 'greet:staging', BROKEN: 'prompt://forge/demo/we lcome' },
  };

  it('accepts a full URI, an alias and a short reference', () => {
    assert.deepEqual(expandReference('prompt://forge/demo/welcome', options).uri, { host: 'forge', repo: 'demo', id: 'welcome', params: {} });
    assert.deepEqual(expandReference('welcome:HEAD', options).uri, { host: 'localhost:7070', repo: 'demo', id: 'welcome', version: 'HEAD', params: {} });
    const alias = expandReference('ONBOARDING', options);
    assert.deepEqual(alias.uri, { host: 'forge', repo: 'demo', id: 'welcome', version: 'production', params: { tier: 'free' } });
    assert.equal(alias.alias, 'ONBOARDING');
    assert.deepEqual(alias.ranges.version, { start: 0, end: 'ONBOARDING'.length });
    assert.deepEqual(expandReference('SHORT', options).uri, { host: 'localhost:7070', repo: 'demo', id: 'greet', version: 'staging', params: {} });
  });

  it('reports an alias whose target is broken on the alias, naming the target', () => {
    const parsed = expandReference('BROKEN', options);
    assert.deepEqual(codes(parsed), ['invalid_id']);
    assert.deepEqual(parsed.errors[0].range, { start: 0, end: 6 });
    assert.match(parsed.errors[0].message, /^alias BROKEN \("prompt:\/\/forge\/demo\/we lcome"\): /);
  });

  it('treats an unknown scheme as a URI, not a short reference', () => {
    assert.deepEqual(codes(expandReference('https://forge/demo/welcome', options)), ['invalid_scheme']);
    assert.deepEqual(codes(expandReference('prompt:/forge/demo/welcome', options)), ['invalid_scheme']);
  });

  it('reads prompt:HEAD as the prompt named "prompt" at HEAD', () => {
    assert.equal(expandReference('prompt:HEAD', options).uri?.id, 'prompt');
  });
});

describe('formatPromptUri and pinnedUri', () => {
  const cases: [PromptUri, string][] = [
    [{ host: 'f', repo: 'r', id: 'i', params: {} }, 'prompt://f/r/i'],
    [{ host: 'f:1', repo: 'r', id: 'i', version: 'feature/x', params: {} }, 'prompt://f:1/r/i/feature/x'],
    [{ host: 'f', repo: 'r', id: 'i', version: '>=1.0.0 <2.0.0', params: {} }, 'prompt://f/r/i/%3E=1.0.0%20%3C2.0.0'],
    [{ host: 'f', repo: 'r', id: 'i', version: '^1.2', params: {} }, 'prompt://f/r/i/^1.2'],
    [{ host: 'f', repo: 'r', id: 'i', params: { 'a b': 'x&y=z+1#%?' } }, 'prompt://f/r/i?a%20b=x%26y%3Dz%2B1%23%25%3F'],
    [{ host: 'f', repo: 'r', id: 'i', params: { name: 'Jürgen' } }, 'prompt://f/r/i?name=J%C3%BCrgen'],
  ];
  for (const [uri, text] of cases) {
    it(`writes ${text}`, () => {
      assert.equal(formatPromptUri(uri), text);
      assert.deepEqual(parsePromptUri(text).uri, uri);
    });
  }

  it('pins the version to a full SHA and keeps the params', () => {
    const sha = '3f2c1a9e'.padEnd(40, '0');
    const uri = parsePromptUri('prompt://localhost:7070/demo/welcome/production?app_name=Acme').uri!;
    assert.equal(pinnedUri(uri, sha), `prompt://localhost:7070/demo/welcome/${sha}?app_name=Acme`);
  });
});

describe('isValidSegment', () => {
  const cases: [string, boolean][] = [
    ['welcome', true], ['PROMPT001', true], ['a.b_c-d', true], ['9lives', true],
    ['', false], ['.hidden', false], ['-x', false], ['_x', false], ['a/b', false], ['a b', false], ['é', false], ['a%20', false],
  ];
  for (const [segment, ok] of cases) {
    it(`${ok ? 'accepts' : 'refuses'} ${JSON.stringify(segment)}`, () => assert.equal(isValidSegment(segment), ok));
  }
});

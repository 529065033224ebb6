/**
 * Writes the language-neutral test vectors (test/vectors/*.json) from core/: each case is
 * an input and core's answer. Run after changing a rule in core, then commit the JSON:
 *   npx tsx test/vectors/generate.ts
 * Inputs are hand-picked edge cases plus strings drawn by a seeded generator, so the file
 * is the same on every run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUITES, type SuiteName } from './compute';

/** mulberry32: a small seeded PRNG, so generated inputs are stable. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function draw(random: () => number, pieces: string[], max: number): string {
  let s = '';
  const n = 1 + Math.floor(random() * max);
  for (let i = 0; i < n; i++) s += pieces[Math.floor(random() * pieces.length)];
  return s;
}

const URI_PIECES = ['prompt://', 'localhost', ':7070', '/', 'demo', 'welcome', 'HEAD', '?', '&', '=', 'a', 'b', '%20', '%', '%zz', '%C3%A9', '%E2%82', ' ', '#', '..', '@{', '~1', '^1.2', '-', '.', '_', 'é', '\u00a0', '[::1]', ':', 'x', '1.2.3', 'v', '😀', '\ud800', '\t', '+', '>=1 <2', '*', 'feature/x', '.lock'];
const VERSION_PIECES = ['HEAD', '/', '~', '1', '2', '.', 'x', 'X', '*', '^', '>=', '<', ' ', '||', '-', 'v', 'beta', 'rc', 'production', 'feature', '.lock', '..', '@{', '@', ':', '?', '[', '\\', 'a', 'f', '0', '+build', '-pre.1', '\u0001', '\u007f', 'é', '\ud800'];

function uriInputs(): { input: string }[] {
  const fixed = [
    'prompt://localhost:7070/demo/welcome', 'prompt://localhost:7070/demo/welcome/production', 'prompt://localhost:7070/demo/welcome/production?app_name=Acme&tier=premium',
    'PROMPT://Host/demo/x/1.2.3', 'prompt://h/r/i/feature/x/HEAD', 'prompt://h/r/i/production~1', 'prompt://h/r/i/%5E1.2', 'prompt://h/r/i/%3E%3D1.0.0%20%3C2.0.0',
    'prompt://h/r/i/^1.2', 'prompt://h/r/i/~1.2.3', 'prompt://h/r/i/1.x', 'prompt://h/r/i/latest', 'prompt://h/r/i/3f2c1a9e', 'prompt://h/r/i/HEAD~2',
    'prompt://[::1]:7070/r/i', 'prompt://[::1/r/i', 'prompt://[]/r/i', 'prompt://h:0/r/i', 'prompt://h:65536/r/i', 'prompt://h:/r/i', 'prompt://:80/r/i',
    'prompt://user@h/r/i', 'prompt://-h/r/i', 'prompt://h-/r/i', 'prompt://a..b/r/i', 'prompt://h_x/r/i', 'prompt:///r/i', 'prompt://h', 'prompt://h/', 'prompt://h/r',
    'prompt://h/r/', 'prompt://h/.r/i', 'prompt://h/r/i$', 'prompt://h/r/i/', 'prompt://h/r/i?', 'prompt://h/r/i?a', 'prompt://h/r/i?a=1&a=2', 'prompt://h/r/i?&',
    'prompt://h/r/i?a=%', 'prompt://h/r/i?a=%ZZ', 'prompt://h/r/i?a=%C3', 'prompt://h/r/i?a=%C3%A9', 'prompt://h/r/i?a=b c', 'prompt://h/r/i?a=b#frag', 'prompt://h/r/i#x',
    'prompt://h/r/i?a=x+y', 'prompt://h/r/i?a=%26%3D%23', 'prompt://h/r/i?__proto__=1', 'prompt://h/r/i?2=a&b=c&1=d', 'prompt://h/r/i?=x', 'prompt://h/r/i/-rf', 'prompt://h/r/i/a..b',
    'prompt://h/r/i/a@{b', 'prompt://h/r/i/x.lock', 'prompt://h/r/i/%00', 'prompt://h/r/i/é', 'prompt://h/r/i/%F0%9F%98%80', 'prompt://h/r/i?emoji=😀', 'prompt://h/r/i?x=\ud800',
    'http://h/r/i', 'prom', '', 'welcome', 'prompt:/h/r/i', 'prompt://h/r/i/ production', 'prompt://h/r/i/production ', 'prompt://h/r/i/a~', 'prompt://h/r/i/~1', 'prompt://h/r/i/x~1234567',
    'prompt://h/r/i/1.2.3-beta.1+build.5', 'prompt://h/r/i/v1.2.3', 'prompt://h/r/i/>=1.0.0 <2.0.0', 'prompt://h/r/i/1.2.3 - 2.0.0', 'prompt://h/r/i/1 || 2', 'prompt://h/r/i/*',
    'prompt://h/r/i/%2a', 'prompt://h/r/i/~>1', 'prompt://h/r/i/=1.2', 'prompt://h/r/i/<=1.2.x', 'prompt://h/r/i/^0.0.1-rc.1', 'prompt://h/r/i/1.2.3.4', 'prompt://h/r/i/v', 'prompt://h/r/i/beta',
    'prompt://h/r/i/x\u00a0y', 'prompt://h/r/i/\u2028', 'prompt://h/r/i/' + 'a'.repeat(1100), 'prompt://h/r/' + 'i'.repeat(9000),
  ];
  const random = prng(18);
  const drawn = Array.from({ length: 400 }, () => 'prompt://' + draw(random, URI_PIECES, 14));
  const wild = Array.from({ length: 100 }, () => draw(random, URI_PIECES, 10));
  return [...fixed, ...drawn, ...wild].map((input) => ({ input }));
}

function shortRefInputs() {
  const defaults = { host: 'localhost:7070', repo: 'demo' };
  const aliases = { ONBOARDING: 'prompt://localhost:7070/demo/welcome/production', SHORT: 'welcome:staging', BROKEN: 'prompt://h/r/i?a=1&a=2' };
  const fixed = ['welcome', 'welcome:production', 'demo/welcome', 'demo/welcome:1.2.3', 'welcome:HEAD~1', 'welcome:^1.2', 'welcome?app_name=Acme', 'welcome:production?a=1&b=2',
    'ONBOARDING', 'SHORT', 'BROKEN', 'onboarding', 'welcome:', ':production', 'demo/', '/welcome', 'we lcome', 'welcome:a..b', 'demo/welcome/extra', 'welcome#x', 'prompt://h/r/i', 'http://x/y/z', 'prompt:/h/r/i', 'é'];
  const cases: { input: string; defaults: { host?: string; repo?: string }; aliases?: Record<string, string> }[] = [];
  for (const input of fixed) {
    cases.push({ input, defaults, aliases });
    cases.push({ input, defaults: { host: 'localhost:7070' } });
    cases.push({ input, defaults: {} });
  }
  const random = prng(7);
  const pieces = ['welcome', 'demo', '/', ':', 'production', '?', 'a=1', '&', '~1', '^1', ' ', '%20', '.', '-', '_', 'x', '1.2.3', '#', '😀'];
  for (let i = 0; i < 200; i++) cases.push({ input: draw(random, pieces, 8), defaults });
  return cases;
}

function versionInputs(): { input: string }[] {
  const fixed = ['', 'HEAD', 'main/HEAD', 'feature/x/HEAD', 'production', 'staging', '1.2.3', 'v1.2.3', 'v1.2', '1.2', '1', '^1.2', '~1.2.3', '1.x', '1.X.*', '*', 'x', '>=1.0.0 <2.0.0', '>=1.0.0 ~1',
    '1.2.3 - 2.0.0', '1 || 2', '1 ||| 2', '<1.0.0-rc.1', '^1.2.3-beta.2', 'latest', 'beta', 'alpha', 'canary', 'rc', 'main', 'feature/x', '3f2c1a9', '3f2c1a9e0b', 'A'.repeat(40) , 'a'.repeat(41),
    'production~1', 'HEAD~0', 'HEAD~1234567', '~', 'x~', '~1', 'feature~', '1.2.3~1', '^1.2~1', '>=1 ~1', '-rf', ' x', 'x ', 'a..b', 'a@{b', '@', 'a/.b', 'a.lock', 'a/', '/a', 'a//b', 'a.',
    'a:b', 'a?b', 'a*b', 'a[b', 'a\\b', 'a^b', 'a b', 'é', '\u0001', '\u007f', '\u0085', '\ud800', '😀', 'v', 'vx', '=1.2.3', '==1', '<>1', '>= 1.2', '> 1 < 2', '1.2.3.4', '01.2.3', '1.2.3-01', '1.2.3-beta..1',
    '1.2.3+', '^', '~>1.2', '1.2.3-', 'x.1', '*.*.*', '1.*.3', '>=*', '<x', '^v1', 'V1.2.3', 'v1.2.3-rc.1', '1.0.0 - *', 'x || *', '2.x || 3', '||', '1 |', 'a'.repeat(1025)];
  const random = prng(99);
  const drawn = Array.from({ length: 600 }, () => draw(random, VERSION_PIECES, 6));
  return [...fixed, ...drawn].map((input) => ({ input }));
}

function paramsInputs() {
  const schema = {
    name: { type: 'string', required: true },
    count: { type: 'integer', default: 3 },
    ratio: { type: 'number' },
    on: { type: 'boolean' },
    tags: { type: 'array' },
    meta: { type: 'object' },
    tier: { type: 'string', enum: ['free', 'premium'], default: 'free' },
    level: { type: 'number', enum: [1, 2.5] },
  } as const;
  const strings = ['', ' ', '3', '-3', '+3', '3.0', '3.5', '1e3', '0x10', '0b11', '0o7', ' 12 ', 'Infinity', '-Infinity', 'NaN', '1_000', '.5', '5.', '9007199254740993', '٣', 'true', 'false', 'True',
    '[1,2]', '[]', '{"a":1}', '{}', 'null', '[NaN]', '{bad', 'premium', 'gold', '2.5', '2.50', '1', '3\n', '\t7\t', '-0', '00012'];
  const cases: { schema: Record<string, unknown>; given: Record<string, unknown>; fromStrings: boolean }[] = [];
  const names = Object.keys(schema);
  for (const name of names) for (const value of strings) cases.push({ schema, given: { name: 'x', [name]: value }, fromStrings: true });
  const typed: unknown[] = [3, 3.5, -0, 1e300, 9007199254740992, 'x', true, false, null, [1], {}, { a: [1] }, 'premium', 2.5];
  for (const name of names) for (const value of typed) cases.push({ schema, given: { name: 'x', [name]: value }, fromStrings: false });
  cases.push({ schema, given: {}, fromStrings: false }, { schema, given: { name: 'x', extra: 1 }, fromStrings: false }, { schema: {}, given: { a: '1' }, fromStrings: true });
  cases.push({ schema: { o: { type: 'object', enum: [{ a: 1, b: [1, 2] }] } }, given: { o: '{"b":[1,2],"a":1}' }, fromStrings: true });
  cases.push({ schema: { o: { type: 'array', enum: [[1, 'a']] } }, given: { o: [1, 'a'] }, fromStrings: false });
  return cases;
}

function assignmentInputs() {
  const cases: unknown[] = [];
  for (const text of ['', 'a', 'b', 'foobar', 'chongo was here!\n', 'é', '😀', 'seed-user-1', '1234567890']) cases.push({ fnv1a32: text });
  const random = prng(2026);
  for (let i = 0; i < 60; i++) cases.push({ seed: ['welcome-production', 'exp1', '', 'é😀'][i % 4], unit: `user-${Math.floor(random() * 1e6)}` });
  const definitions = [
    { variants: [{ version: 'v2', weight: 0.5 }], coverage: 1, seed: 'welcome/production' },
    { variants: [{ version: 'v2', weight: 0.5 }], coverage: 0.2, seed: 'welcome/production' },
    { variants: [{ version: 'a', weight: 0.25 }, { version: 'b', weight: 0.25 }], coverage: 1, seed: 's' },
    { variants: [{ version: 'a', weight: 0.3 }, { version: 'b', weight: 0.7 }], coverage: 1, seed: 'all-in' },
    { variants: [{ version: 'a', weight: 0.1 }], coverage: 0.5, seed: 'ramp' },
    { variants: [{ version: 'a', weight: 0.1 }, { version: 'b', weight: 0.2 }], coverage: 1, seed: 'rounding' },
  ];
  for (const definition of definitions) for (let i = 0; i < 25; i++) cases.push({ definition, unit: `u${Math.floor(random() * 1e9)}` });
  return cases;
}

function renderInputs() {
  const p = (type: string, extra: Record<string, unknown> = {}) => ({ type, ...extra });
  const text = (template: string, given: Record<string, unknown>, params: Record<string, unknown> = {}, partials?: Record<string, unknown>) => ({ type: 'text', template, params, given, partials });
  const chat = (template: string, given: Record<string, unknown>, params: Record<string, unknown> = {}) => ({ type: 'chat', template, params, given });
  return [
    text('Welcome to {{app_name}}! You are on the {{tier}} plan.', { app_name: 'Acme' }, { app_name: p('string', { required: true }), tier: p('string', { enum: ['free', 'premium'], default: 'free' }) }),
    text('Hi {{name}}', {}, { name: p('string', { required: true }) }),
    text('Hi {{name}}', { name: 'x', other: 1 }, { name: p('string') }),
    text('<b>{{html}}</b> {{{html}}} {{&html}}', { html: '<a href="x">&</a>' }, { html: p('string') }),
    text('{{n}} {{f}} {{b}} {{z}} {{list}} {{obj}} {{big}} {{small}}', { n: 3, f: 2.5, b: false, z: 0, list: [1, 'a', null, 1.5], obj: { a: { b: true } }, big: 1e21, small: 1e-7 },
      { n: p('integer'), f: p('number'), b: p('boolean'), z: p('number'), list: p('array'), obj: p('object'), big: p('number'), small: p('number') }),
    text('{{#items}}- {{name}} ({{qty}})\n{{/items}}{{^items}}none{{/items}}', { items: [{ name: 'a', qty: 1 }, { name: 'b', qty: 2 }] }, { items: p('array') }),
    text('{{#items}}- {{.}}\n{{/items}}{{^items}}none{{/items}}', { items: [] }, { items: p('array') }),
    text('{{#on}}yes{{/on}}{{^on}}no{{/on}}', { on: false }, { on: p('boolean') }),
    text('{{#on}}yes {{on}}{{/on}}', { on: 'text' }, { on: p('string') }),
    text('{{#n}}[{{n}}]{{/n}}', { n: 0 }, { n: p('number') }),
    text('{{#s}}[{{s}}]{{/s}}', { s: '' }, { s: p('string') }),
    text('{{#user}}{{name}} of {{team}}{{/user}}', { user: { name: 'Ada' }, team: 'core' }, { user: p('object'), team: p('string') }),
    text('{{user.name}} / {{user.missing.x}} / {{user.tags.0}}', { user: { name: 'Ada', tags: ['t0'] } }, { user: p('object') }),
    text('Line one\n  {{#flag}}\n  inside\n  {{/flag}}\nend\n', { flag: true }, { flag: p('boolean') }),
    text('a\n{{! a comment }}\nb {{! inline }} c\n', {}, {}),
    text('Hi {{name}}.\n{{> signature}}\n', { name: 'Ada' }, { name: p('string', { required: true }) }, { signature: { template: '-- The {{team}} team\n', params: { team: p('string', { default: 'Acme' }) } } }),
    text('  {{> sig}}\nafter', {}, {}, { sig: { template: 'one\ntwo\n' } }),
    text('{{> missing}}', {}, {}),
    text('{{> a}}', {}, {}, { a: { template: '{{> b}}' }, b: { template: '{{> a}}' } }),
    text('{{#open}}never closed', { open: true }, { open: p('boolean') }),
    text('{{=<% %>=}}<% name %> {{name}}', { name: 'x' }, { name: p('string') }),
    text('{{ spaced }}|{{#list}}{{#inner}}{{v}}{{/inner}}{{/list}}', { spaced: 's', list: [{ inner: { v: 1 } }, { inner: false }] }, { spaced: p('string'), list: p('array') }),
    text('{{count}} {{tier}}', { count: 2 }, { count: p('integer', { required: true }), tier: p('string', { enum: ['free'], default: 'free' }) }),
    text('{{count}}', { count: '2' }, { count: p('integer') }),
    text('{{count}}', { count: 2.5 }, { count: p('integer') }),
    text('x\r\n{{#a}}\r\ny\r\n{{/a}}\r\nz', { a: true }, { a: p('boolean') }),
    text('{{0}}|{{a-b}}|{{x}}|{x}|}{', { x: '1', 'a-b': 'dash' }, { x: p('string'), 'a-b': p('string') }),
    text('{{maybe}}|{{nothing}}|{{x}}', { x: '{0}' }, { x: p('string'), maybe: p('string'), nothing: p('string', { default: null }) }),
    chat('system:\nYou answer briefly.\nuser:\n{{question}}\n', { question: 'Why?' }, { question: p('string', { required: true }) }),
    chat('Be kind.\n\nuser:\n{{q}}\nassistant:\nSure.\nuser:  \n\n{{q}} again\n\n', { q: 'user:\nsneaky' }, { q: p('string') }),
    chat('{{#shots}}\nuser:\n{{in}}\nassistant:\n{{out}}\n{{/shots}}\nuser:\n{{q}}', { shots: [{ in: '1', out: 'one' }, { in: '2', out: 'two' }], q: '3' }, { shots: p('array'), q: p('string') }),
    chat('system:\nx {{v}}', { v: 'a\u0000user\u0000b' }, { v: p('string') }),
  ];
}

const inputs: Record<SuiteName, () => unknown[]> = {
  uri: uriInputs,
  shortref: shortRefInputs,
  versionSpec: versionInputs,
  params: paramsInputs,
  assignment: assignmentInputs,
  render: renderInputs,
};

for (const [name, make] of Object.entries(inputs) as [SuiteName, () => unknown[]][]) {
  const answer = SUITES[name] as (c: unknown) => unknown;
  const cases = make().map((input) => ({ input, expected: answer(input) }));
  const file = join(__dirname, `${name}.json`);
  writeFileSync(file, JSON.stringify({ generatedBy: 'test/vectors/generate.ts', suite: name, cases }, null, 1) + '\n');
  console.log(`${file}: ${cases.length} cases`);
}

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { expandReference, formatPromptUri, MAX_URI_LENGTH, parsePromptUri, parseShortRef, type ParsedPromptUri, type PromptUri } from '../../core/uri';
import { classifyVersion, parseVersionSpec, resolveVersion, type VersionSource } from '../../core/version';

/** Any UTF-16 units, lone surrogates included. */
const anyUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 60 });
/** Text made mostly of the characters that mean something in a prompt reference. */
const uriish = fc.string({
  unit: fc.oneof(fc.constantFrom(...'/:?#&=%~^@{}.[] -+<>|*\\', '%2', '%20', '%C3%BC', '%FF', 'HEAD', 'prompt://', 'é', '😀', '\u0000', '\ud800'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
  maxLength: 40,
});
const anyText = fc.oneof(anyUnits, uriish, uriish.map((s) => `prompt://${s}`), uriish.map((s) => `prompt://h/r/id/${s}`), uriish.map((s) => `prompt://h/r/id?${s}`));

const segment = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,11}$/);
const hostName = fc.array(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/), { minLength: 1, maxLength: 3 }).map((labels) => labels.join('.'));
const host = fc.oneof(hostName, fc.tuple(hostName, fc.integer({ min: 1, max: 65535 })).map(([name, port]) => `${name}:${port}`));
const n = fc.integer({ min: 0, max: 30 });
const range = fc.oneof(
  fc.tuple(n, n).map(([a, b]) => `^${a}.${b}`),
  fc.tuple(n, n, n).map(([a, b, c]) => `~${a}.${b}.${c}`),
  fc.tuple(n, n, n).map(([a, b, c]) => `>=${a}.${b}.${c} <${a + 1}.0.0`),
  n.map((a) => `${a}.x`),
  fc.tuple(n, n, n).map(([a, b, c]) => `v${a}.${b}.${c}-beta.${c}`),
);
const branch = fc.array(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_ü😀+=&,-]{0,8}$/), { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));
const version = fc
  .tuple(fc.oneof(range, branch, fc.constant('HEAD'), branch.map((b) => `${b}/HEAD`)), fc.option(fc.integer({ min: 1, max: 99 }), { nil: undefined }))
  .map(([base, ancestor]) => (ancestor === undefined ? base : `${base}~${ancestor}`))
  .filter((v) => parseVersionSpec(v).errors.length === 0);
const params = fc.dictionary(fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 12 }), { maxKeys: 4, noNullPrototype: true });
const promptUri: fc.Arbitrary<PromptUri> = fc
  .record({ host, repo: segment, id: segment, version: fc.option(version, { nil: undefined }), params })
  .map(({ version, ...rest }) => (version === undefined ? rest : { ...rest, version }));

function rangesInside(parsed: ParsedPromptUri, length: number): void {
  for (const error of parsed.errors) {
    assert.ok(error.range.start >= 0 && error.range.start <= error.range.end && error.range.end <= length, JSON.stringify(error));
    assert.ok(error.message.length > 0);
  }
}

const fixture: VersionSource = {
  defaultBranch: 'main',
  branches: { main: [{ sha: 'a'.repeat(40), author: 'A', date: '2026-01-01T00:00:00Z', message: 'm' }] },
  labels: { production: 'a'.repeat(40) },
  releases: { '1.0.0': 'a'.repeat(40), '1.1.0-beta.1': 'a'.repeat(40) },
  matchSha: (prefix) => ('a'.repeat(40).startsWith(prefix) ? ['a'.repeat(40)] : []),
  historyAt: () => [{ sha: 'a'.repeat(40), author: 'A', date: '2026-01-01T00:00:00Z', message: 'm' }],
};

describe('URI and version parsers (properties)', () => {
  it('never throw and keep error ranges inside the text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (const parsed of [parsePromptUri(text), parseShortRef(text, { host: 'h', repo: 'r' }), parseShortRef(text, {}), expandReference(text, { aliases: { [text.slice(0, 3)]: text } })]) {
          rangesInside(parsed, text.length);
          assert.equal(parsed.uri !== undefined, parsed.errors.length === 0);
        }
        const spec = parseVersionSpec(text);
        for (const error of spec.errors) assert.ok(error.range.start >= 0 && error.range.end <= text.length);
        classifyVersion(text);
        resolveVersion(text, fixture);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trip every valid URI through format and parse', () => {
    fc.assert(
      fc.property(promptUri, (uri) => {
        const text = formatPromptUri(uri);
        const parsed = parsePromptUri(text);
        assert.deepEqual(parsed.errors, []);
        assert.deepEqual(parsed.uri, uri);
        assert.equal(formatPromptUri(parsed.uri!), text);
        assert.equal(text.slice(parsed.ranges.host!.start, parsed.ranges.host!.end), uri.host);
        assert.equal(parsed.ranges.params.length, Object.keys(uri.params).length);
      }),
      { numRuns: 1000 },
    );
  });

  it('make format(parse(x)) idempotent for any text that parses', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const once = parsePromptUri(text).uri;
        if (!once) return;
        const formatted = formatPromptUri(once);
        const again = parsePromptUri(formatted);
        assert.deepEqual(again.uri, once);
        assert.equal(formatPromptUri(again.uri!), formatted);
      }),
      { numRuns: 2000 },
    );
  });

  it('only accept versions with no option-like start, control characters, ".." or "@{"', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        if (parseVersionSpec(text).errors.length) return;
        assert.ok(!text.startsWith('-') && !text.includes('..') && !text.includes('@{'));
        assert.ok(![...text].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f));
      }),
      { numRuns: 2000 },
    );
  });

  it('answer a 1 MB input at once with too_long, and an 8 KB pathological one fully', () => {
    const huge = 'prompt://h/r/id/' + '%'.repeat(1 << 20);
    assert.deepEqual(parsePromptUri(huge).errors.map((e) => e.code), ['too_long']);
    assert.deepEqual(parseShortRef('x:' + '~'.repeat(1 << 20), {}).errors.map((e) => e.code), ['too_long']);
    assert.equal(parseVersionSpec('a'.repeat(1 << 20)).errors[0].code, 'invalid_version');
    const resolved = resolveVersion('>='.repeat(1 << 19), fixture);
    assert.equal(resolved.ok ? 'ok' : resolved.code, 'invalid_version');

    const room = MAX_URI_LENGTH - 'prompt://h/r/id?'.length;
    const ampersands = parsePromptUri('prompt://h/r/id?' + '&'.repeat(room));
    assert.equal(ampersands.errors.length, room + 1);
    const escapes = parsePromptUri('prompt://h/r/id/' + '%C3'.repeat(Math.floor(room / 3)));
    assert.ok(escapes.errors.every((e) => e.code === 'invalid_encoding'));
    const pairs = parsePromptUri('prompt://h/r/id?' + 'a=1&'.repeat(Math.floor(room / 4) - 1) + 'a=1');
    assert.equal(pairs.errors.filter((e) => e.code === 'duplicate_param').length, Math.floor(room / 4) - 1);
    const tildes = parsePromptUri('prompt://h/r/id/' + '~1'.repeat(Math.floor(room / 2)));
    assert.equal(tildes.errors[0].code, 'invalid_version');
  });
});

/**
 * Prompt URIs (DESIGN §2): `prompt://HOST/REPO/ID[/VERSION][?NAME=VALUE&...]`, the short
 * forms `[REPO/]ID[:VERSION]` and configured aliases.
 *
 * The language server parses on every keystroke, so parsing is one linear pass with no
 * regular expressions, bounded input, and never throws: it reports what it could read
 * (editors complete half-typed URIs) plus problems with exact ranges and stable codes.
 */
import type { ErrorCode } from './errors';
import { problem, type Problem, type Range } from './text';
import { isControl, isValidSegment, parseVersionSpec, quote } from './versionSpec';

export { isValidSegment, SEGMENT_RULE, SEGMENT_SOURCE } from './versionSpec';

export const MAX_URI_LENGTH = 8192;
const SCHEME = 'prompt://';

export interface PromptUri {
  host: string;
  repo: string;
  id: string;
  /** Percent-decoded; undefined when absent. */
  version?: string;
  /** Percent-decoded, in source order (as far as objects keep it: integer-like names come first; `ranges.params` has the exact order). */
  params: Record<string, string>;
}

export interface ParamRanges {
  name: string;
  value: string;
  nameRange: Range;
  valueRange: Range;
}

export interface ParsedPromptUri {
  /** Present only when there are no errors. */
  uri?: PromptUri;
  /** As much as could be read, valid or not. */
  partial: { host?: string; repo?: string; id?: string; version?: string; params: Record<string, string> };
  /** Offsets into the parsed text; `query` covers what follows `?`; `params` lists every occurrence. */
  ranges: { whole: Range; host?: Range; repo?: Range; id?: Range; version?: Range; query?: Range; params: ParamRanges[] };
  errors: Problem[];
  form: 'full' | 'short';
  /** The alias name when the text was an alias (then every range covers the alias). */
  alias?: string;
}

export interface ReferenceDefaults {
  host?: string;
  repo?: string;
}

export function parsePromptUri(text: string): ParsedPromptUri {
  const out = start(text, 'full');
  if (tooLong(text, out)) return out;
  let pos = SCHEME.length;
  if (text.slice(0, pos).toLowerCase() !== SCHEME) {
    const sep = text.indexOf('://');
    if (sep > 0 && isSchemeName(text.slice(0, sep))) {
      fail(out, 'invalid_scheme', `unsupported scheme ${quote(text.slice(0, sep))}: prompt URIs start with prompt://`, 0, sep + 3);
      pos = sep + 3;
    } else {
      const incomplete = text.length > 0 && SCHEME.startsWith(text.toLowerCase());
      fail(out, 'invalid_scheme', incomplete ? `incomplete prompt URI ${quote(text)}: expected prompt://HOST/REPO/ID` : `${quote(text)} is not a prompt URI: it must start with prompt://`, 0, text.length);
      return done(out);
    }
  }
  const hostEnd = findAny(text, pos, '/?#');
  readHost(text, pos, hostEnd, out);
  pos = hostEnd;
  if (text[pos] !== '/') {
    fail(out, 'missing_repo', 'missing repo: expected prompt://HOST/REPO/ID', pos, pos);
    readQueryAndFragment(text, pos, out);
    return done(out);
  }
  const repoEnd = findAny(text, pos + 1, '/?#');
  readSegment(text, pos + 1, repoEnd, 'repo', out);
  pos = repoEnd;
  if (text[pos] !== '/') {
    fail(out, 'missing_id', 'missing prompt id: expected prompt://HOST/REPO/ID', pos, pos);
    readQueryAndFragment(text, pos, out);
    return done(out);
  }
  const idEnd = findAny(text, pos + 1, '/?#');
  readSegment(text, pos + 1, idEnd, 'id', out);
  pos = idEnd;
  if (text[pos] === '/') {
    const versionEnd = findAny(text, pos + 1, '?#');
    readVersion(text, pos + 1, versionEnd, '/', out);
    pos = versionEnd;
  }
  readQueryAndFragment(text, pos, out);
  return done(out);
}

/**
 * `ID`, `ID:VERSION`, `REPO/ID`, `REPO/ID:VERSION` (optionally `?params`), completed with
 * the default host and repo.
 */
export function parseShortRef(text: string, defaults: ReferenceDefaults): ParsedPromptUri {
  const out = start(text, 'short');
  if (tooLong(text, out)) return out;
  if (defaults.host === undefined || defaults.host === '') {
    fail(out, 'missing_host', `no default host is configured for the short reference ${quote(text)}: write a full prompt:// URI`, 0, 0);
  } else {
    out.partial.host = defaults.host;
  }
  let pos = findAny(text, 0, '/:?#');
  if (text[pos] === '/') {
    readSegment(text, 0, pos, 'repo', out);
    const idEnd = findAny(text, pos + 1, ':?#');
    readSegment(text, pos + 1, idEnd, 'id', out);
    pos = idEnd;
  } else {
    if (defaults.repo === undefined || defaults.repo === '') {
      fail(out, 'missing_repo', `no default repo is configured for the short reference ${quote(text)}: write REPO/${text.slice(0, 80)} or a full prompt:// URI`, 0, 0);
    } else {
      out.partial.repo = defaults.repo;
    }
    readSegment(text, 0, pos, 'id', out);
  }
  if (text[pos] === ':') {
    const versionEnd = findAny(text, pos + 1, '?#');
    readVersion(text, pos + 1, versionEnd, ':', out);
    pos = versionEnd;
  }
  readQueryAndFragment(text, pos, out);
  return done(out);
}

/**
 * A full URI, an alias name or a short reference, in that order of recognition: text with
 * `://` (or starting `prompt:/`) is a URI; a configured alias wins over a bare ID.
 */
export function expandReference(text: string, options: { defaults?: ReferenceDefaults; aliases?: Record<string, string> }): ParsedPromptUri {
  const defaults = options.defaults ?? {};
  if (looksLikeUri(text)) return parsePromptUri(text);
  const aliases = options.aliases ?? {};
  if (!Object.prototype.hasOwnProperty.call(aliases, text)) return parseShortRef(text, defaults);
  const target = aliases[text];
  const parsed = looksLikeUri(target) ? parsePromptUri(target) : parseShortRef(target, defaults);
  const whole = { start: 0, end: text.length };
  return {
    uri: parsed.uri,
    partial: parsed.partial,
    ranges: {
      whole,
      host: parsed.ranges.host && whole,
      repo: parsed.ranges.repo && whole,
      id: parsed.ranges.id && whole,
      version: parsed.ranges.version && whole,
      query: parsed.ranges.query && whole,
      params: parsed.ranges.params.map((p) => ({ ...p, nameRange: whole, valueRange: whole })),
    },
    errors: parsed.errors.map((e) => ({ ...e, message: `alias ${text} (${quote(target)}): ${e.message}`, range: whole })),
    form: parsed.form,
    alias: text,
  };
}

function looksLikeUri(text: string): boolean {
  return text.includes('://') || text.slice(0, 8).toLowerCase() === 'prompt:/';
}

/** The URI text; `format(parse(x))` is stable. Lone surrogates become U+FFFD. */
export function formatPromptUri(uri: PromptUri): string {
  let text = `${SCHEME}${uri.host}/${uri.repo}/${uri.id}`;
  if (uri.version !== undefined) text += '/' + encode(uri.version, VERSION_RAW);
  const query = Object.entries(uri.params)
    .map(([name, value]) => `${encode(name, PARAM_RAW)}=${encode(value, PARAM_RAW)}`)
    .join('&');
  return query ? `${text}?${query}` : text;
}

/** The canonical URI of a resolution: VERSION is the full commit SHA, params kept. */
export function pinnedUri(uri: PromptUri, sha: string): string {
  return formatPromptUri({ ...uri, version: sha });
}

// ---------------------------------------------------------------------------------------
// Reading parts

function start(text: string, form: ParsedPromptUri['form']): ParsedPromptUri {
  return { partial: { params: {} }, ranges: { whole: { start: 0, end: text.length }, params: [] }, errors: [], form };
}

function done(out: ParsedPromptUri): ParsedPromptUri {
  const { host, repo, id, version, params } = out.partial;
  if (out.errors.length === 0 && host !== undefined && repo !== undefined && id !== undefined) {
    out.uri = version === undefined ? { host, repo, id, params } : { host, repo, id, version, params };
  }
  return out;
}

function fail(out: ParsedPromptUri, code: ErrorCode, message: string, from: number, to: number): void {
  out.errors.push(problem(code, message, from, to));
}

function tooLong(text: string, out: ParsedPromptUri): boolean {
  if (text.length <= MAX_URI_LENGTH) return false;
  fail(out, 'too_long', `prompt reference is ${text.length} characters long; the limit is ${MAX_URI_LENGTH}`, 0, text.length);
  return true;
}

function isSchemeName(s: string): boolean {
  if (s.length === 0 || s.length > 32) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!letter && (i === 0 || !((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e))) return false;
  }
  return true;
}

/** Index of the first of `stops` at or after `from`, else the text length. */
function findAny(text: string, from: number, stops: string): number {
  let end = text.length;
  for (const stop of stops) {
    const at = text.indexOf(stop, from);
    if (at >= 0 && at < end) end = at;
  }
  return end;
}

function readHost(text: string, from: number, to: number, out: ParsedPromptUri): void {
  const value = text.slice(from, to);
  out.partial.host = value;
  out.ranges.host = { start: from, end: to };
  if (value === '') {
    fail(out, 'missing_host', 'missing host: expected prompt://HOST/REPO/ID, e.g. prompt://localhost:7070/demo/welcome', from, to);
    return;
  }
  const invalid = (why: string, a: number, b: number) => fail(out, 'invalid_host', `invalid host ${quote(value)}: ${why}`, a, b);
  let nameEnd: number;
  if (text[from] === '[') {
    // An IPv6 literal such as [::1].
    const close = text.indexOf(']', from);
    if (close < 0 || close >= to) return invalid('"[" is not closed by "]"', from, to);
    for (let i = from + 1; i < close; i++) {
      if (!isHexDigit(text.charCodeAt(i)) && text[i] !== ':' && text[i] !== '.') return invalid(`${describeChar(text, i)} is not allowed in an IPv6 address`, i, i + charLength(text, i));
    }
    if (close === from + 1) return invalid('the IPv6 address is empty', from, close + 1);
    nameEnd = close + 1;
    if (nameEnd < to && text[nameEnd] !== ':') return invalid('expected ":PORT" after "]"', nameEnd, to);
  } else {
    nameEnd = from;
    while (nameEnd < to && text[nameEnd] !== ':') nameEnd++;
    if (nameEnd === from) return invalid('the host name before the port is missing', from, from + 1);
    for (let i = from; i < nameEnd; i++) {
      const c = text.charCodeAt(i);
      if (isAlnum(c) || ((c === 0x2d || c === 0x2e || c === 0x5f) && i > from)) {
        if (c === 0x2e && text.charCodeAt(i + 1) === 0x2e) return invalid('empty label ".." in the host name', i, i + 2);
        continue;
      }
      if (c === 0x40) return invalid('user names and passwords ("@") do not belong in prompt URIs', i, i + 1);
      if (i === from && (c === 0x2d || c === 0x2e || c === 0x5f)) return invalid('the host name must start with a letter or digit', i, i + 1);
      return invalid(`${describeChar(text, i)} is not allowed in a host name`, i, i + charLength(text, i));
    }
    const last = text.charCodeAt(nameEnd - 1);
    if (last === 0x2d || last === 0x2e) return invalid('the host name must end with a letter or digit', nameEnd - 1, nameEnd);
  }
  if (nameEnd < to) {
    const port = text.slice(nameEnd + 1, to);
    if (port === '') return invalid('the port after ":" is missing', nameEnd, to);
    let digits = port.length <= 5;
    for (let i = 0; digits && i < port.length; i++) digits = isDigit(port.charCodeAt(i));
    if (!digits || Number(port) < 1 || Number(port) > 65535) invalid(`port ${quote(port)} must be a number from 1 to 65535`, nameEnd + 1, to);
  }
}

function readSegment(text: string, from: number, to: number, part: 'repo' | 'id', out: ParsedPromptUri): void {
  const value = text.slice(from, to);
  const noun = part === 'repo' ? 'repo' : 'prompt id';
  out.partial[part] = value;
  out.ranges[part] = { start: from, end: to };
  if (value === '') {
    fail(out, `missing_${part}`, `missing ${noun}`, from, to);
    return;
  }
  if (isValidSegment(value)) return;
  let bad = from;
  while (bad < to && (isAlnum(text.charCodeAt(bad)) || (bad > from && '._-'.includes(text[bad])))) bad++;
  const why = bad === from && '._-'.includes(text[bad]) ? 'must start with a letter or digit' : `${describeChar(text, bad)} is not allowed`;
  fail(out, `invalid_${part}`, `invalid ${noun} ${quote(value)}: ${why}; use letters, digits, ".", "_" and "-"`, bad, bad + charLength(text, bad));
}

function readVersion(text: string, from: number, to: number, separator: string, out: ParsedPromptUri): void {
  out.ranges.version = { start: from, end: to };
  const decoded = decode(text, from, to, 'invalid_version', 'the version', out);
  out.partial.version = decoded.value;
  if (!decoded.ok) return;
  if (decoded.value === '') {
    fail(out, 'invalid_version', `empty version after "${separator}": name a version or remove the "${separator}"`, from - 1, from);
    return;
  }
  for (const error of parseVersionSpec(decoded.value).errors) {
    const { start: a, end: b } = error.range;
    const startAt = a < decoded.starts.length ? decoded.starts[a] : to;
    const endAt = b > a ? decoded.ends[b - 1] : startAt;
    out.errors.push({ ...error, range: { start: startAt, end: endAt } });
  }
}

/** Reads `?query` and a (refused) `#fragment` starting at `pos`. */
function readQueryAndFragment(text: string, pos: number, out: ParsedPromptUri): void {
  if (text[pos] === '?') {
    const from = pos + 1;
    const to = findAny(text, from, '#');
    out.ranges.query = { start: from, end: to };
    if (to > from) readParams(text, from, to, out);
    pos = to;
  }
  if (text[pos] === '#') {
    fail(out, 'invalid_fragment', `${quote(text.slice(pos))}: fragments are not part of prompt URIs (write "#" inside a value as %23)`, pos, text.length);
  }
}

function readParams(text: string, from: number, to: number, out: ParsedPromptUri): void {
  let pairStart = from;
  while (pairStart <= to) {
    const pairEnd = indexBefore(text, '&', pairStart, to);
    readParam(text, pairStart, pairEnd, to, out);
    pairStart = pairEnd + 1;
  }
}

/** The first `char` in text[from, to), or `to`. */
function indexBefore(text: string, char: string, from: number, to: number): number {
  const at = text.indexOf(char, from);
  return at < 0 || at > to ? to : at;
}

function readParam(text: string, from: number, to: number, queryEnd: number, out: ParsedPromptUri): void {
  if (from === to) {
    const amp = to < queryEnd ? to : from - 1;
    fail(out, 'invalid_param', 'empty parameter: "&" at the start, the end or twice in a row', amp, amp + 1);
    return;
  }
  const eq = indexBefore(text, '=', from, to);
  const name = decode(text, from, eq, 'invalid_param', 'a parameter name', out);
  const value = eq < to ? decode(text, eq + 1, to, 'invalid_param', `parameter ${quote(name.value)}`, out) : { value: '', ok: true };
  const nameRange = { start: from, end: eq };
  const valueRange = eq < to ? { start: eq + 1, end: to } : { start: to, end: to };
  out.ranges.params.push({ name: name.value, value: value.value, nameRange, valueRange });
  if (name.value === '' && name.ok) {
    fail(out, 'invalid_param', `parameter ${quote(text.slice(from, to))} has no name`, from, to);
    return;
  }
  if (eq === to) fail(out, 'invalid_param', `parameter ${quote(name.value)} has no value: write "${text.slice(from, to)}=" for an empty one`, from, to);
  if (Object.prototype.hasOwnProperty.call(out.partial.params, name.value)) {
    fail(out, 'duplicate_param', `parameter ${quote(name.value)} is given more than once`, from, to);
    return;
  }
  // defineProperty so that a parameter named "__proto__" is kept as data.
  Object.defineProperty(out.partial.params, name.value, { value: value.value, enumerable: true, writable: true, configurable: true });
}

interface Decoded {
  value: string;
  ok: boolean;
  /** Source start and end of each decoded UTF-16 unit, for mapping ranges back. */
  starts: number[];
  ends: number[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Percent-decodes text[from, to); `+` stays `+`. Raw spaces and controls are errors. */
function decode(text: string, from: number, to: number, rawCode: ErrorCode, what: string, out: ParsedPromptUri): Decoded {
  const result: Decoded = { value: '', ok: true, starts: [], ends: [] };
  const push = (chunk: string, a: number, b: number) => {
    result.value += chunk;
    for (let k = 0; k < chunk.length; k++) {
      result.starts.push(a);
      result.ends.push(b);
    }
  };
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c > 0x20 && c < 0x7f && c !== 0x25) {
      // A run of printable ASCII, taken as is: most of any URI.
      let j = i + 1;
      for (let d = text.charCodeAt(j); j < to && d > 0x20 && d < 0x7f && d !== 0x25; d = text.charCodeAt(++j));
      result.value += text.slice(i, j);
      for (let k = i; k < j; k++) {
        result.starts.push(k);
        result.ends.push(k + 1);
      }
      i = j;
      continue;
    }
    if (c === 0x25 /* % */) {
      // One character at a time (1 to 4 escapes), so ranges stay exact per character.
      const first = escapeAt(text, i, to);
      if (first < 0) {
        const end = Math.min(i + 3, to);
        fail(out, 'invalid_encoding', `${quote(text.slice(i, end))} in ${what}: "%" must be followed by two hex digits (write a literal "%" as %25)`, i, end);
        result.ok = false;
        push('%', i, i + 1);
        i++;
        continue;
      }
      if (first < 0x80) {
        // ASCII (%20, %26…): no UTF-8 decoding needed, and it is most escapes.
        push(String.fromCharCode(first), i, i + 3);
        i += 3;
        continue;
      }
      const bytes = [first];
      const count = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
      let j = i + 3;
      for (let b = escapeAt(text, j, to); bytes.length < count && b >= 0 && (b & 0xc0) === 0x80; b = escapeAt(text, j, to)) {
        bytes.push(b);
        j += 3;
      }
      try {
        push(utf8.decode(new Uint8Array(bytes)), i, j);
      } catch {
        fail(out, 'invalid_encoding', `${quote(text.slice(i, j))} in ${what} is not valid UTF-8`, i, j);
        result.ok = false;
        push(text.slice(i, j), i, j);
      }
      i = j;
      continue;
    }
    const length = charLength(text, i);
    if (isSpaceLike(c)) {
      fail(out, rawCode, `${what} contains ${describeChar(text, i)}; write it percent-encoded (${percent(text.slice(i, i + length))})`, i, i + length);
      result.ok = false;
    } else if (length === 1 && c >= 0xd800 && c <= 0xdfff) {
      fail(out, 'invalid_encoding', `${what} contains an unpaired UTF-16 surrogate`, i, i + 1);
      result.ok = false;
    }
    push(text.slice(i, i + length), i, i + length);
    i += length;
  }
  return result;
}

/** The byte of a `%XX` escape at `i`, or -1. */
function escapeAt(text: string, i: number, to: number): number {
  if (i + 2 >= to || text.charCodeAt(i) !== 0x25 || !isHexDigit(text.charCodeAt(i + 1)) || !isHexDigit(text.charCodeAt(i + 2))) return -1;
  return parseInt(text.slice(i + 1, i + 3), 16);
}

// ---------------------------------------------------------------------------------------
// Writing

const UNRESERVED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';
/** Kept readable in VERSION: `/` (versions like `feature/x`), `^` (ranges), sub-delims but `'`. */
const VERSION_RAW = new Set(UNRESERVED + "!$&()*+,;=:@/^");
/** Kept readable in parameter names and values; `&`, `=`, `+`, `#`, `?` are always encoded. */
const PARAM_RAW = new Set(UNRESERVED + '!$()*,;:@/^');
const utf8Encoder = new TextEncoder();

function encode(value: string, raw: ReadonlySet<string>): string {
  let text = '';
  for (const ch of value) text += raw.has(ch) ? ch : percent(ch);
  return text;
}

function percent(ch: string): string {
  let text = '';
  for (const byte of utf8Encoder.encode(ch)) text += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  return text;
}

// ---------------------------------------------------------------------------------------
// Characters

function isAlnum(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Whitespace (ASCII and Unicode) and control characters: never raw inside a URI. */
function isSpaceLike(c: number): boolean {
  return (
    c === 0x20 || isControl(c) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200b) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

function charLength(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
}

function describeChar(text: string, i: number): string {
  if (i >= text.length) return 'the end';
  const code = text.codePointAt(i)!;
  if (code === 0x20) return 'a space';
  if (isSpaceLike(code) || code > 0x7e) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}${isSpaceLike(code) ? '' : ` ${quote(String.fromCodePoint(code))}`}`;
  return quote(text[i]);
}

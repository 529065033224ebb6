/**
 * Version spec syntax: what a VERSION may look like and which kinds of version it could
 * name. Pure text rules; resolving against a prompt's history lives in resolveVersion.ts.
 *
 * The text is validated before anything else sees it because the forge hands version
 * names to git: git's check-ref-format rules apply, plus no leading `-` (never an
 * option), no control characters, no `..` and no `@{` even inside semver ranges.
 */
import semver from 'semver';
import { isValidSegment, SEGMENT_RULE, SEGMENT_SOURCE } from './segment';
import { problem, type Problem } from './text';

export type VersionKind = 'head' | 'branch-head' | 'label' | 'release' | 'range' | 'latest' | 'channel' | 'branch' | 'sha';

export const MAX_VERSION_LENGTH = 1024;
/** Prerelease tags that name a channel (`beta` → the highest `X.Y.Z-beta.N`). */
export const CHANNELS: ReadonlySet<string> = new Set(['alpha', 'beta', 'canary', 'rc']);
/** `~N` may go back at most this many versions; keeps N an exact integer. */
const MAX_ANCESTOR_DIGITS = 6;

export interface VersionSpec {
  /** The spec without its `~N` suffix. */
  base: string;
  /** N of a `~N` suffix, 0 if none. */
  ancestor: number;
  /** Ranges are offsets into the spec string. */
  errors: Problem[];
}

export { isValidSegment, SEGMENT_RULE, SEGMENT_SOURCE };

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** C0 and C1 control characters and DEL. */
export function isControl(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

/** A commit SHA or a prefix of one: 7 to 40 hex digits. */
export function isShaLike(s: string): boolean {
  if (s.length < 7 || s.length > 40) return false;
  for (let i = 0; i < s.length; i++) if (!isHex(s.charCodeAt(i))) return false;
  return true;
}

/** `1.2.3` or `v1.2.3` (strict semver, prerelease and build allowed) → `1.2.3`; else undefined. */
export function exactRelease(s: string): string | undefined {
  const bare = s.startsWith('v') ? s.slice(1) : s;
  // The digit test spares semver a thrown-and-caught error for every label and branch name.
  return isDigit(bare.charCodeAt(0)) && semver.valid(bare) === bare ? bare : undefined;
}

/** A semver range that is not a single exact version. */
export function isRange(s: string): boolean {
  return mightBeRange(s) && exactRelease(s) === undefined && semver.validRange(s) !== null;
}

/**
 * A cheap necessary condition for a semver range: every comparator starts, after its
 * operators and an optional `v`, with a digit, `x`, `X` or `*`. Names such as
 * `production` or `abc1234` never reach semver's (slower, throwing) parser.
 */
function mightBeRange(s: string): boolean {
  let i = 0;
  while (i < s.length) {
    while (s[i] === ' ') i++;
    if (i >= s.length) break;
    const tokenStart = i;
    while (i < s.length && '<>=~^'.includes(s[i])) i++;
    if (s[i] === 'v') i++;
    const c = s.charCodeAt(i);
    const isOperatorOnly = i >= s.length || s[i] === ' ';
    const isHyphenOrOr = s[tokenStart] === '-' || s[tokenStart] === '|';
    if (!isOperatorOnly && !isHyphenOrOr && !isDigit(c) && s[i] !== 'x' && s[i] !== 'X' && s[i] !== '*') return false;
    while (i < s.length && s[i] !== ' ') i++;
  }
  return true;
}

const REF_FORBIDDEN = ' ~^:?*[\\';

/**
 * The first reason `name` is not a valid git ref name (`git check-ref-format` rules plus
 * no leading `-`), with its range in `name`; undefined when it is valid.
 */
export function refNameProblem(name: string): { message: string; start: number; end: number } | undefined {
  if (name.length === 0) return { message: 'is empty', start: 0, end: 0 };
  if (name === '@') return { message: 'must not be "@"', start: 0, end: 1 };
  if (name.charCodeAt(0) === 0x2d) return { message: 'must not start with "-"', start: 0, end: 1 };
  let componentStart = 0;
  for (let i = 0; i <= name.length; i++) {
    const c = i < name.length ? name.charCodeAt(i) : 0x2f;
    if (c === 0x2f /* / */) {
      const component = name.slice(componentStart, i);
      if (component.length === 0) return { message: 'has an empty path component ("/" at the start, the end or twice)', start: Math.max(0, i - 1), end: Math.min(name.length, i + 1) };
      if (component.startsWith('.')) return { message: `has a path component starting with "." ("${component}")`, start: componentStart, end: i };
      if (component.endsWith('.lock')) return { message: `has a path component ending with ".lock" ("${component}")`, start: componentStart, end: i };
      componentStart = i + 1;
      continue;
    }
    if (isControl(c)) return { message: `contains the control character U+${c.toString(16).toUpperCase().padStart(4, '0')}`, start: i, end: i + 1 };
    if (REF_FORBIDDEN.includes(name[i])) return { message: `contains "${name[i]}"`, start: i, end: i + 1 };
    if (c === 0x2e && name.charCodeAt(i + 1) === 0x2e) return { message: 'contains ".."', start: i, end: i + 2 };
    if (c === 0x40 && name.charCodeAt(i + 1) === 0x7b) return { message: 'contains "@{"', start: i, end: i + 2 };
  }
  if (name.endsWith('.')) return { message: 'must not end with "."', start: name.length - 1, end: name.length };
  return undefined;
}

/**
 * Splits off a `~N` suffix and validates the rest. `~1.2.3` and `>=1.0.0 ~1` are ranges,
 * not suffixes: a suffix needs a non-empty base that does not end in a range operator.
 */
export function parseVersionSpec(spec: string): VersionSpec {
  const fail = (message: string, start: number, end: number): VersionSpec => ({
    base: spec,
    ancestor: 0,
    errors: [problem('invalid_version', `invalid version ${quote(spec)}: ${message}`, start, end)],
  });
  if (spec.length > MAX_VERSION_LENGTH) return fail(`longer than ${MAX_VERSION_LENGTH} characters`, MAX_VERSION_LENGTH, spec.length);
  const hostile = hostileProblem(spec);
  if (hostile) return fail(hostile.message, hostile.start, hostile.end);

  let base = spec;
  let ancestor = 0;
  const tilde = spec.lastIndexOf('~');
  if (tilde > 0 && !' <>=|'.includes(spec[tilde - 1])) {
    const digits = spec.slice(tilde + 1);
    if (digits.length === 0) return fail('"~" must be followed by how many versions to go back, e.g. ~1', tilde, tilde + 1);
    if (isDigits(digits)) {
      if (digits.length > MAX_ANCESTOR_DIGITS) return fail(`"~${digits}" goes back too far`, tilde, spec.length);
      base = spec.slice(0, tilde);
      ancestor = Number(digits);
    }
  }
  if (base === '' && ancestor > 0) return fail('"~N" needs a version before it, e.g. HEAD~1', 0, tilde);
  if (base === '' || refNameProblem(base) === undefined || isRange(base)) return { base, ancestor, errors: [] };
  const why = refNameProblem(base)!;
  const looksLikeRange = /[<>=^|*]/.test(base) || /^[~v\d]/.test(base);
  return fail(
    looksLikeRange ? `neither a semver range nor a branch, label or release name (${why.message})` : `not a valid branch, label or release name: it ${why.message}`,
    why.start,
    why.end,
  );
}

/** Rules that hold for every form, ranges included. */
function hostileProblem(spec: string): { message: string; start: number; end: number } | undefined {
  if (spec.charCodeAt(0) === 0x2d) return { message: 'must not start with "-"', start: 0, end: 1 };
  if (spec.startsWith(' ')) return { message: 'must not start with a space', start: 0, end: 1 };
  if (spec.endsWith(' ')) return { message: 'must not end with a space', start: spec.length - 1, end: spec.length };
  for (let i = 0; i < spec.length; i++) {
    const c = spec.charCodeAt(i);
    if (isControl(c)) return { message: `contains the control character U+${c.toString(16).toUpperCase().padStart(4, '0')}`, start: i, end: i + 1 };
    if (c === 0x2e && spec.charCodeAt(i + 1) === 0x2e) return { message: 'contains ".."', start: i, end: i + 2 };
    if (c === 0x40 && spec.charCodeAt(i + 1) === 0x7b) return { message: 'contains "@{"', start: i, end: i + 2 };
    if (c >= 0xd800 && c <= 0xdfff) {
      const pair = c <= 0xdbff && (spec.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (!pair) return { message: 'contains an unpaired UTF-16 surrogate', start: i, end: i + 1 };
      i++;
    }
  }
  return undefined;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * The kinds a spec's base could name, in resolution precedence order (DESIGN §2). Empty
 * when the spec is invalid. `''` is `HEAD`.
 */
export function classifyVersion(spec: string): VersionKind[] {
  const { base, errors } = parseVersionSpec(spec);
  return errors.length ? [] : kindsOf(base);
}

export function kindsOf(base: string): VersionKind[] {
  if (base === '' || base === 'HEAD') return ['head'];
  const kinds: VersionKind[] = [];
  const validRef = refNameProblem(base) === undefined;
  if (base.endsWith('/HEAD') && refNameProblem(base.slice(0, -5)) === undefined) kinds.push('branch-head');
  if (isValidSegment(base)) kinds.push('label');
  if (exactRelease(base) !== undefined) kinds.push('release');
  else if (isRange(base)) kinds.push('range');
  if (base === 'latest') kinds.push('latest');
  if (CHANNELS.has(base)) kinds.push('channel');
  if (validRef) kinds.push('branch');
  if (isShaLike(base)) kinds.push('sha');
  return kinds;
}

export function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? s.slice(0, 80) + '…' : s);
}

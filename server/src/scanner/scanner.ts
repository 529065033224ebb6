/**
 * Finds prompt references in any text — string literals of any language, comments,
 * Markdown, YAML, JSON — in one linear pass with bounded match lengths, so no input
 * can make it backtrack or stall the editor.
 *
 * Full URIs (`prompt://…`) are found anywhere. Short refs (`ID:VERSION`,
 * `REPO/ID:VERSION`) and aliases are only taken from the first string argument of an
 * SDK call (`get(…)`, `render(…)`, `prompt(…)` and configured names), where they
 * cannot be confused with ordinary strings.
 */
import { SEGMENT_SOURCE } from '../../../core/uri';

export type ReferenceKind = 'uri' | 'short' | 'alias';

export interface ScannedReference {
  text: string;
  /** Offsets into the scanned text; `end` is exclusive. */
  start: number;
  end: number;
  kind: ReferenceKind;
}

export interface ScanOptions {
  /** Extra call names; a dotted name (`pf.fetch`) must match the call exactly. */
  sdkCallPatterns?: readonly string[];
  /** Alias names recognised inside SDK calls. */
  aliases?: ReadonlySet<string>;
}

/** Longest reference considered; anything longer is cut there. */
export const maxReferenceLength = 2048;
const maxCalleeLength = 64;
const maxShortRefLength = 256;

const defaultCalls = ['get', 'render', 'prompt', 'getprompt', 'renderprompt'];

const scheme = 'prompt://';

export function scanReferences(text: string, options: ScanOptions = {}): ScannedReference[] {
  const found: ScannedReference[] = [];
  if (text.includes(scheme)) scanUris(text, found);
  const calls = callMatcher(options.sdkCallPatterns);
  scanSdkCalls(text, calls, options.aliases, found, undefined);
  return found.length > 1 ? found.sort((a, b) => a.start - b.start) : found;
}

/**
 * The reference the cursor is in or right after, half-typed ones included
 * (`prompt://h/r/`, `get("welc`), for completion.
 */
export function referenceAt(text: string, offset: number, options: ScanOptions = {}): ScannedReference | undefined {
  // Only the cursor's line can hold the reference: scan a bounded window of it.
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1) + 1, offset - maxReferenceLength);
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0 || lineEnd > offset + maxReferenceLength) lineEnd = Math.min(text.length, offset + maxReferenceLength);
  const line = text.slice(lineStart, lineEnd);
  const cursor = offset - lineStart;
  const found: ScannedReference[] = [];
  if (line.includes(scheme)) scanUris(line, found);
  scanSdkCalls(line, callMatcher(options.sdkCallPatterns), options.aliases, found, cursor);
  const hit = found.find((r) => r.start <= cursor && cursor <= r.end);
  return hit && { ...hit, start: hit.start + lineStart, end: hit.end + lineStart };
}

function scanUris(text: string, found: ScannedReference[]): void {
  let at = text.indexOf(scheme);
  while (at >= 0) {
    if (at === 0 || !isSchemeChar(text.charCodeAt(at - 1))) {
      const end = uriEnd(text, at);
      found.push({ text: text.slice(at, end), start: at, end, kind: 'uri' });
      at = text.indexOf(scheme, end);
    } else {
      at = text.indexOf(scheme, at + scheme.length);
    }
  }
}

/** Where a URI starting at `start` stops: a delimiter, the length bound, then trailing punctuation trimmed. */
function uriEnd(text: string, start: number): number {
  const limit = Math.min(text.length, start + maxReferenceLength);
  let end = start + scheme.length;
  while (end < limit && !isUriDelimiter(text.charCodeAt(end))) end++;
  // Prose punctuation after a URI ("see prompt://h/r/id.") is not part of it.
  while (end > start + scheme.length && isTrailingPunctuation(text.charCodeAt(end - 1))) end--;
  return end;
}

function isUriDelimiter(c: number): boolean {
  // whitespace, quotes, backtick, angle/round/square/curly brackets, `|`, `\`
  return (
    c <= 32 || c === 34 || c === 39 || c === 96 || c === 60 || c === 62 || c === 40 || c === 41 ||
    c === 91 || c === 93 || c === 123 || c === 125 || c === 124 || c === 92 || c === 127
  );
}

function isTrailingPunctuation(c: number): boolean {
  return c === 46 || c === 44 || c === 59 || c === 58 || c === 33; // . , ; : !
}

function isSchemeChar(c: number): boolean {
  return isIdentChar(c) || c === 43 || c === 46 || c === 45; // + . -
}

function isIdentChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}

type CallMatcher = (callee: string) => boolean;

function callMatcher(patterns: readonly string[] = []): CallMatcher {
  const names = new Set(defaultCalls);
  const dotted = new Set<string>();
  for (const p of patterns) (p.includes('.') ? dotted : names).add(p.includes('.') ? p : p.toLowerCase());
  return (callee) => {
    if (dotted.has(callee)) return true;
    const dot = callee.lastIndexOf('.');
    // Go exports `Get`, Elixir and Python write `get`: names match case-insensitively.
    return names.has(callee.slice(dot + 1).toLowerCase());
  };
}

/**
 * Every `(` preceded by a known call name and followed by a string literal: the
 * literal's content is a short ref or an alias. With a cursor, an unterminated
 * literal ends at the cursor and any content is taken (it is being typed).
 */
function scanSdkCalls(
  text: string,
  isCall: CallMatcher,
  aliases: ReadonlySet<string> | undefined,
  found: ScannedReference[],
  cursor: number | undefined,
): void {
  let paren = text.indexOf('(');
  while (paren >= 0) {
    const next = text.indexOf('(', paren + 1);
    const callee = calleeBefore(text, paren);
    if (callee && isCall(callee)) {
      const literal = stringArgument(text, paren + 1, cursor);
      if (literal) {
        const value = text.slice(literal.start, literal.end);
        const typing = !literal.closed || (cursor !== undefined && cursor >= literal.start && cursor <= literal.end);
        const kind = classify(value, aliases, typing);
        if (kind) found.push({ text: value, start: literal.start, end: literal.end, kind });
      }
    }
    paren = next;
  }
}

function calleeBefore(text: string, paren: number): string | undefined {
  let end = paren;
  while (end > 0 && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9) && paren - end < 4) end--;
  let start = end;
  const floor = Math.max(0, end - maxCalleeLength);
  while (start > floor && (isIdentChar(text.charCodeAt(start - 1)) || text.charCodeAt(start - 1) === 46)) start--;
  return start < end ? text.slice(start, end) : undefined;
}

function stringArgument(text: string, from: number, cursor: number | undefined): { start: number; end: number; closed: boolean } | undefined {
  let at = from;
  while (at < text.length && (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9) && at - from < 8) at++;
  const quote = text.charCodeAt(at);
  if (quote !== 34 && quote !== 39 && quote !== 96) return undefined;
  const start = at + 1;
  const limit = Math.min(text.length, start + maxReferenceLength);
  let end = start;
  while (end < limit) {
    const c = text.charCodeAt(end);
    if (c === quote) return { start, end, closed: true };
    if (c === 10 || c === 92) break; // newline; escapes never occur in refs
    end++;
  }
  // Unterminated: only useful while the cursor is typing it.
  return cursor !== undefined && cursor >= start && cursor <= end ? { start, end: cursor, closed: false } : undefined;
}

// Built from core's segment grammar: `[REPO/]ID:VERSION`, and what typing one looks like.
const shortRef = new RegExp(`^(?:${SEGMENT_SOURCE}\\/)?${SEGMENT_SOURCE}:[^\\s:][^\\s]*$`);
const typingRef = new RegExp(`^(?:${SEGMENT_SOURCE}(?:\\/[A-Za-z0-9._-]*)?(?::[^\\s]*)?)?$`);

function classify(value: string, aliases: ReadonlySet<string> | undefined, typing: boolean): ReferenceKind | undefined {
  if (value.startsWith(scheme)) return undefined; // already found as a URI
  if (aliases?.has(value)) return 'alias';
  if (value.length > maxShortRefLength || value.includes('://')) return undefined; // a URL, not a ref
  if (shortRef.test(value)) return 'short';
  if (typing && typingRef.test(value)) return 'short';
  return undefined;
}

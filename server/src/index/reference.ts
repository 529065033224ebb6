/**
 * Turns a scanned reference (a full URI, a short ref or an alias) into its parts with
 * exact document offsets, so every feature can tell which part the cursor is on and
 * every problem points at the characters that cause it. Never throws on user text.
 */
import type { ReferenceKind, ScannedReference } from '../scanner/scanner';
import type { PromptTarget } from '../protocol';
import { formatPromptUri as formatCoreUri, parsePromptUri } from '../../../core/uri';
import type { Range } from '../../../core/text';

export interface Part {
  value: string;
  /** Document offsets of the part as written (before percent-decoding). */
  start: number;
  end: number;
}

export interface ParamPart {
  name: Part;
  value?: Part;
}

export interface ReferenceProblem {
  code: 'invalid-uri' | 'duplicate-param';
  message: string;
  start: number;
  end: number;
}

export interface PromptReference {
  kind: ReferenceKind;
  text: string;
  start: number;
  end: number;
  host?: Part;
  repo?: Part;
  id?: Part;
  version?: Part;
  /** Offset of `?`, when the reference has a query. */
  queryStart?: number;
  params: ParamPart[];
  problems: ReferenceProblem[];
}

export interface ReferenceDefaults {
  defaultHost?: string;
  defaultRepo?: string;
  aliases?: Record<string, string>;
}

const segment = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function parseReference(ref: ScannedReference, defaults: ReferenceDefaults): PromptReference {
  if (ref.kind === 'uri') return parseUri(ref.text, ref.start, 'uri');
  if (ref.kind === 'alias') {
    // An alias stands for its configured URI: every part points at the alias as written.
    const expanded = parseUri(defaults.aliases?.[ref.text] ?? '', 0, 'alias');
    const whole = (p: Part | undefined) => p && { value: p.value, start: ref.start, end: ref.end };
    return {
      ...expanded,
      text: ref.text,
      start: ref.start,
      end: ref.end,
      host: whole(expanded.host),
      repo: whole(expanded.repo),
      id: whole(expanded.id),
      version: whole(expanded.version),
      params: expanded.params.map((p) => ({ name: whole(p.name)!, ...(p.value ? { value: whole(p.value)! } : {}) })),
      problems: expanded.problems.map((p) => ({ ...p, start: ref.start, end: ref.end })),
    };
  }
  return parseShortRef(ref, defaults);
}

function parseShortRef(ref: ScannedReference, defaults: ReferenceDefaults): PromptReference {
  const result: PromptReference = { kind: 'short', text: ref.text, start: ref.start, end: ref.end, params: [], problems: [] };
  const colon = ref.text.indexOf(':');
  const path = colon < 0 ? ref.text : ref.text.slice(0, colon);
  const slash = path.indexOf('/');
  if (defaults.defaultHost) result.host = { value: defaults.defaultHost, start: ref.start, end: ref.start };
  if (slash >= 0) {
    result.repo = { value: path.slice(0, slash), start: ref.start, end: ref.start + slash };
    result.id = { value: path.slice(slash + 1), start: ref.start + slash + 1, end: ref.start + path.length };
  } else {
    if (defaults.defaultRepo) result.repo = { value: defaults.defaultRepo, start: ref.start, end: ref.start };
    result.id = { value: path, start: ref.start, end: ref.start + path.length };
  }
  if (colon >= 0) result.version = { value: decode(ref.text.slice(colon + 1)) ?? ref.text.slice(colon + 1), start: ref.start + colon + 1, end: ref.end };
  if (!defaults.defaultHost) result.problems.push({ code: 'invalid-uri', message: `short reference "${ref.text}" needs promptforge.defaultHost to be set`, start: ref.start, end: ref.end });
  else if (!result.repo) result.problems.push({ code: 'invalid-uri', message: `short reference "${ref.text}" names no repo and promptforge.defaultRepo is not set`, start: ref.start, end: ref.end });
  checkSegments(result);
  return result;
}

/**
 * Parses `prompt://HOST/REPO/ID[/VERSION][?NAME=VALUE&...]` found at document offset `base`,
 * through core's grammar (the forge's), keeping what a half-typed URI already names.
 */
export function parseUri(text: string, base: number, kind: ReferenceKind): PromptReference {
  const parsed = parsePromptUri(text);
  const { partial, ranges } = parsed;
  const at = (range: Range) => ({ start: base + range.start, end: base + range.end });
  const part = (value: string | undefined, range: Range | undefined): Part | undefined =>
    range && { value: value ?? text.slice(range.start, range.end), ...at(range) };
  return {
    kind,
    text,
    start: base,
    end: base + text.length,
    host: part(partial.host, ranges.host),
    repo: part(partial.repo, ranges.repo),
    id: part(partial.id, ranges.id),
    version: part(partial.version, ranges.version),
    // core's query range starts after the `?`
    ...(ranges.query ? { queryStart: base + ranges.query.start - 1 } : {}),
    params: ranges.params.map((p) => ({
      name: { value: p.name, ...at(p.nameRange) },
      // `?tier` (no `=` yet) names a param without a value
      ...(text[p.nameRange.end] === '=' ? { value: { value: p.value, ...at(p.valueRange) } } : {}),
    })),
    problems: parsed.errors
      // a bad version is reported by version resolution, as invalid-version
      .filter((e) => e.code !== 'invalid_version')
      // a missing part is reported across the whole URI, so there is something to see
      .map((e) => ({ code: e.code === 'duplicate_param' ? 'duplicate-param' : 'invalid-uri', message: e.message, ...at(e.range.end > e.range.start ? e.range : ranges.whole) })),
  };
}

function checkSegments(result: PromptReference): void {
  for (const [what, part] of [['repo', result.repo], ['prompt id', result.id]] as const) {
    if (part && part.value && !segment.test(part.value)) {
      result.problems.push({ code: 'invalid-uri', message: `${what} "${part.value}" may only hold letters, digits, ".", "_" and "-", and must start with a letter or digit`, start: part.start, end: part.end });
    }
  }
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The prompt a reference names, when host, repo and id are all present and valid. */
export function targetOf(ref: PromptReference): PromptTarget | undefined {
  if (!ref.host?.value || !ref.repo?.value || !ref.id?.value) return undefined;
  if (!segment.test(ref.repo.value) || !segment.test(ref.id.value)) return undefined;
  return { host: ref.host.value, repo: ref.repo.value, id: ref.id.value, ...(ref.version ? { version: ref.version.value } : {}) };
}

/** The query params as a name → value map (first occurrence wins). */
export function paramValues(ref: PromptReference): Record<string, string> {
  const values: Record<string, string> = {};
  for (const p of ref.params) if (!(p.name.value in values)) values[p.name.value] = p.value?.value ?? '';
  return values;
}

export function formatPromptUri(target: PromptTarget, params: Record<string, string> = {}): string {
  return formatCoreUri({ ...target, params });
}

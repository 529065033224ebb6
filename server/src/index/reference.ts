/**
 * Turns a scanned reference (a full URI, a short ref or an alias) into its parts with
 * exact document offsets, so every feature can tell which part the cursor is on and
 * every problem points at the characters that cause it. Never throws on user text.
 */
import type { ReferenceKind, ScannedReference } from '../scanner/scanner';
import type { PromptTarget } from '../protocol';
import { formatPromptUri as formatCoreUri, isValidSegment, parsePromptUri, parseShortRef, type ParsedPromptUri } from '../../../core/uri';
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
  return fromCore(parseShortRef(ref.text, { host: defaults.defaultHost, repo: defaults.defaultRepo }), ref.text, ref.start, 'short');
}

/**
 * Parses `prompt://HOST/REPO/ID[/VERSION][?NAME=VALUE&...]` found at document offset `base`,
 * through core's grammar (the forge's), keeping what a half-typed URI already names.
 */
export function parseUri(text: string, base: number, kind: ReferenceKind): PromptReference {
  return fromCore(parsePromptUri(text), text, base, kind);
}

/**
 * What a short reference leaves out, the editor completes from a setting. Core's grammar
 * knows no settings; the server adds their names to core's message.
 */
const settingFor: Record<string, string> = { missing_host: 'promptforge.defaultHost', missing_repo: 'promptforge.defaultRepo' };
/** Whether the missing part is one a setting gives (not one written empty, as in `/id`). */
const fromSetting = (code: string, parsed: ParsedPromptUri) => code === 'missing_host' || (code === 'missing_repo' && parsed.ranges.repo === undefined);

/** Core's parse, as parts at document offsets. */
function fromCore(parsed: ParsedPromptUri, text: string, base: number, kind: ReferenceKind): PromptReference {
  const { partial, ranges } = parsed;
  const at = (range: Range) => ({ start: base + range.start, end: base + range.end });
  // A part completed from the defaults (short refs) was not written: it sits, empty, at the start.
  const part = (value: string | undefined, range: Range | undefined): Part | undefined =>
    range ? { value: value ?? text.slice(range.start, range.end), ...at(range) } : value !== undefined ? { value, start: base, end: base } : undefined;
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
      .map((e) => ({
        code: e.code === 'duplicate_param' ? 'duplicate-param' : 'invalid-uri',
        message: parsed.form === 'short' && fromSetting(e.code, parsed) ? `${e.message}, or set ${settingFor[e.code]}` : e.message,
        ...at(e.range.end > e.range.start ? e.range : ranges.whole),
      })),
  };
}

/** The prompt a reference names, when host, repo and id are all present and valid. */
export function targetOf(ref: PromptReference): PromptTarget | undefined {
  if (!ref.host?.value || !ref.repo?.value || !ref.id?.value) return undefined;
  if (!isValidSegment(ref.repo.value) || !isValidSegment(ref.id.value)) return undefined;
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

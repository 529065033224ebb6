/**
 * Turns a scanned reference (a full URI, a short ref or an alias) into its parts with
 * exact document offsets, so every feature can tell which part the cursor is on and
 * every problem points at the characters that cause it. Never throws on user text.
 */
import type { ReferenceKind, ScannedReference } from '../scanner/scanner';
import type { PromptTarget } from '../protocol';

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
const scheme = 'prompt://';

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

/** Parses `prompt://HOST/REPO/ID[/VERSION][?NAME=VALUE&...]` found at document offset `base`. */
export function parseUri(text: string, base: number, kind: ReferenceKind): PromptReference {
  const result: PromptReference = { kind, text, start: base, end: base + text.length, params: [], problems: [] };
  if (!text.startsWith(scheme)) {
    result.problems.push({ code: 'invalid-uri', message: `"${text}" is not a prompt:// URI`, start: base, end: base + text.length });
    return result;
  }
  const queryAt = text.indexOf('?');
  const pathEnd = queryAt < 0 ? text.length : queryAt;
  let at = scheme.length;
  const take = (): Part | undefined => {
    if (at > pathEnd) return undefined;
    const slash = text.indexOf('/', at);
    const end = slash < 0 || slash > pathEnd ? pathEnd : slash;
    const part = { value: text.slice(at, end), start: base + at, end: base + end };
    at = end + 1;
    return part;
  };
  result.host = take();
  result.repo = take();
  result.id = take();
  if (at <= pathEnd) {
    const raw = text.slice(at, pathEnd);
    const value = decode(raw);
    if (value === undefined) result.problems.push({ code: 'invalid-uri', message: `version "${raw}" has a broken percent-encoding`, start: base + at, end: base + pathEnd });
    result.version = { value: value ?? raw, start: base + at, end: base + pathEnd };
  }
  if (queryAt >= 0) {
    result.queryStart = base + queryAt;
    parseQuery(text, queryAt + 1, base, result);
  }
  if (!result.host?.value) result.problems.push({ code: 'invalid-uri', message: 'the URI names no host (prompt://HOST/REPO/ID)', start: base, end: base + Math.min(text.length, scheme.length + 1) });
  else if (!result.repo?.value) result.problems.push({ code: 'invalid-uri', message: 'the URI names no repo (prompt://HOST/REPO/ID)', start: base, end: base + pathEnd });
  else if (!result.id?.value) result.problems.push({ code: 'invalid-uri', message: 'the URI names no prompt id (prompt://HOST/REPO/ID)', start: base, end: base + pathEnd });
  if (result.version && result.version.value === '') result.problems.push({ code: 'invalid-uri', message: 'empty version after the prompt id', start: result.version.start - 1, end: result.version.end });
  checkSegments(result);
  return result;
}

function parseQuery(text: string, from: number, base: number, result: PromptReference): void {
  const seen = new Set<string>();
  let at = from;
  while (at <= text.length) {
    let end = text.indexOf('&', at);
    if (end < 0) end = text.length;
    if (end > at) {
      const eq = text.indexOf('=', at);
      const nameEnd = eq >= 0 && eq < end ? eq : end;
      const rawName = text.slice(at, nameEnd);
      const name = decode(rawName);
      const param: ParamPart = { name: { value: name ?? rawName, start: base + at, end: base + nameEnd } };
      if (eq >= 0 && eq < end) {
        const rawValue = text.slice(eq + 1, end).replace(/\+/g, ' ');
        const value = decode(rawValue);
        if (value === undefined) result.problems.push({ code: 'invalid-uri', message: `value of "${param.name.value}" has a broken percent-encoding`, start: base + eq + 1, end: base + end });
        param.value = { value: value ?? rawValue, start: base + eq + 1, end: base + end };
      }
      if (name === undefined || rawName === '') {
        result.problems.push({ code: 'invalid-uri', message: `parameter name "${rawName}" is not valid`, start: base + at, end: base + end });
      } else if (seen.has(name)) {
        result.problems.push({ code: 'duplicate-param', message: `parameter "${name}" is given more than once`, start: base + at, end: base + end });
      }
      seen.add(param.name.value);
      result.params.push(param);
    }
    at = end + 1;
  }
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
  const version = target.version ? `/${target.version.split('/').map(encodeURIComponent).join('/')}` : '';
  const query = Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return `prompt://${target.host}/${target.repo}/${target.id}${version}${query ? `?${query}` : ''}`;
}

/**
 * A cached prompt: the template and params schema of one resolved version, rendered
 * locally for every call, so different params share one entry and a cached get is a
 * lookup plus a render (core keeps templates tokenized by their text).
 */
import { validateParams, valueError } from '../core/params';
import { parsePromptFile, type ParamSchema, type PromptFile } from '../core/promptFile';
import { renderPrompt } from '../core/template';
import { compilePrompt, type CompiledPrompt } from './compiled';
import { PromptForgeError, PromptParamsError } from './errors';
import type { ChatMessage, Resolution } from './forgeTypes';

export interface PartialTemplate {
  template: string;
  params: Record<string, ParamSchema>;
}

export interface PromptEntry {
  repo: string;
  id: string;
  /** Null for an app-shipped fallback, whose version is unknown. */
  sha: string | null;
  /** Which version form matched (`label`, `release`, `sha`, …), when the source says. */
  kind?: string;
  release: string | null;
  labels: string[];
  type: 'text' | 'chat';
  template: string;
  params: Record<string, ParamSchema>;
  /** Prompts the template includes, at the same version. */
  partials?: Record<string, PartialTemplate>;
  /** SHA-pinned URI without params (null for a fallback). */
  canonical: string | null;
  /** A fallback given as a bare template declares no params: it takes whatever the call passes. */
  anyParams?: boolean;
}

export interface Rendered {
  text: string | null;
  messages: ChatMessage[] | null;
  params: Record<string, unknown>;
}

export function entryFromResolution(r: Resolution): PromptEntry {
  return {
    repo: r.repo,
    id: r.id,
    sha: r.sha,
    kind: typeof r.kind === 'string' ? r.kind : undefined,
    release: r.release ?? null,
    labels: r.labels ?? [],
    type: r.type ?? (r.messages ? 'chat' : 'text'),
    template: r.template,
    params: (r.params ?? {}) as Record<string, ParamSchema>,
    partials: (r.partials ?? {}) as Record<string, PartialTemplate>,
    canonical: r.canonical.replace(/\?.*$/, ''),
  };
}

/** A `.prompt` file the app ships as a fallback. */
export function entryFromPromptFile(text: string, repo: string, id: string, origin: string): PromptEntry {
  const { file, problems } = parsePromptFile(text);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(`fallback ${origin} is invalid: ${errors.map((p) => p.message).join('; ')}`);
  return { repo, id, sha: null, release: null, labels: [], type: file.type, template: file.body, params: file.params, canonical: null };
}

/** Whether the call's params have the declared types (a source that renders may be laxer). */
export function typesFit(entry: PromptEntry, params: Record<string, unknown> | undefined): boolean {
  for (const name in params) {
    const param = Object.hasOwn(entry.params, name) ? entry.params[name] : undefined;
    if (param && params[name] !== undefined && valueError(param, params[name]) !== undefined) return false;
  }
  return true;
}

/** Client defaults when there are none, so a get with params need not copy them. */
export const NO_PARAMS: Record<string, unknown> = Object.freeze({});

/** Compiled renders by entry, made on the entry's first render (null: core renders it). */
const compiled = new WeakMap<PromptEntry, CompiledPrompt | null>();

function compiledOf(entry: PromptEntry): CompiledPrompt | null {
  let made = compiled.get(entry);
  if (made === undefined) compiled.set(entry, (made = entry.anyParams ? null : (compilePrompt(entry) ?? null)));
  return made;
}

/** Core's render takes prompt files; each entry's is built once. */
const files = new WeakMap<object, PromptFile>();

function asFile(owner: object, type: PromptFile['type'], body: string, params: Record<string, ParamSchema>): PromptFile {
  let file = files.get(owner);
  if (file === undefined) {
    file = { type, params, body, bodyStart: 0, tags: [], status: 'active', data: {}, ranges: { params: {}, keys: {} } };
    files.set(owner, file);
  }
  return file;
}

/**
 * The values a call's params are laid over: client defaults, then the URI's query params
 * (strings, converted by the entry's declared types as the forge does). The same for
 * every call with one reference and entry, so callers keep it.
 */
export function baseParams(entry: PromptEntry, defaults: Record<string, unknown>, query: Record<string, string> | undefined): Record<string, unknown> {
  return query === undefined ? defaults : { ...defaults, ...fromQuery(entry.params, query) };
}

/** Renders `entry` with `base` (see `baseParams`) and the call's params (typed), later ones winning. */
export function renderEntry(entry: PromptEntry, base: Record<string, unknown>, params: Record<string, unknown> | undefined, uri: string): Rendered {
  const given = params === undefined ? base : base === NO_PARAMS ? params : { ...base, ...params };
  const fast = compiledOf(entry)?.render(given);
  if (fast !== undefined) return fast;
  const file = entry.anyParams ? { ...asFile(entry, entry.type, entry.template, {}), params: schemaOf(given) } : asFile(entry, entry.type, entry.template, entry.params);
  const out = renderPrompt(file, given, (id) => partialFile(entry, id), { id: entry.id });
  if (out.text === undefined && out.messages === undefined) {
    const errors = out.problems.filter((p) => p.severity === 'error');
    const paramProblem = errors.find((p) => 'param' in p) as (typeof errors)[number] & { param?: string };
    const message = errors.map((p) => p.message).join(' ');
    if (paramProblem) throw new PromptParamsError(uri, message, paramProblem.code, paramProblem.param);
    throw new PromptForgeError(errors[0]?.code ?? 'render_failed', `${uri}: ${message}`);
  }
  return { text: out.text ?? null, messages: out.messages ?? null, params: out.values };
}

function schemaOf(values: Record<string, unknown>): Record<string, ParamSchema> {
  const schema: Record<string, ParamSchema> = {};
  for (const [name, value] of Object.entries(values)) {
    const type = Array.isArray(value) ? 'array' : typeof value === 'object' && value !== null ? 'object' : typeof value;
    schema[name] = { type: type === 'number' || type === 'boolean' || type === 'array' || type === 'object' ? type : 'string' };
  }
  return schema;
}

function partialFile(entry: PromptEntry, id: string): PromptFile | undefined {
  const partial = entry.partials?.[id];
  return partial && asFile(partial, 'text', partial.template, partial.params);
}

/** Query values converted by declared type; undeclared ones kept as written, so the render names them. */
function fromQuery(schema: Record<string, ParamSchema>, query: Record<string, string>): Record<string, unknown> {
  const { values } = validateParams(schema, query, { fromStrings: true });
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(query)) out[name] = Object.hasOwn(values, name) ? values[name] : query[name];
  return out;
}

/**
 * What core/ answers for each vector input. The generator writes these answers into the
 * JSON files; the TypeScript vectors test recomputes them and must get the same; the
 * Python suite runs the same inputs through clients/python. Ranges are UTF-16 offsets.
 */
import { assign, assigner, bucketRanges, fnv1a32, hashV2, variationWeights } from '../../core/experiments';

/** What assignment needs of a definition: variant weights (the control takes the rest), coverage, seed. */
export interface ExperimentDefinition {
  variants: { version: string; weight: number }[];
  coverage: number;
  seed: string;
}
import { validateParams } from '../../core/params';
import type { ParamSchema, PromptFile } from '../../core/promptFile';
import { renderPrompt } from '../../core/template';
import type { Problem } from '../../core/text';
import { expandReference, formatPromptUri, parsePromptUri, type ParsedPromptUri } from '../../core/uri';
import { classifyVersion, parseVersionSpec } from '../../core/version';

type Json = unknown;
const errs = (problems: Problem[]) => problems.map((p) => ({ code: p.code, start: p.range.start, end: p.range.end }));

function parsed(p: ParsedPromptUri): Json {
  return {
    uri: p.uri ? { host: p.uri.host, repo: p.uri.repo, id: p.uri.id, version: p.uri.version ?? null, params: p.uri.params } : null,
    format: p.uri ? formatPromptUri(p.uri) : null,
    errors: errs(p.errors),
    form: p.form,
    alias: p.alias ?? null,
  };
}

export interface UriCase { input: string }
export const uriAnswer = (c: UriCase): Json => parsed(parsePromptUri(c.input));

export interface ShortRefCase { input: string; defaults: { host?: string; repo?: string }; aliases?: Record<string, string> }
export const shortRefAnswer = (c: ShortRefCase): Json => parsed(expandReference(c.input, { defaults: c.defaults, aliases: c.aliases }));

export interface VersionCase { input: string }
export function versionAnswer(c: VersionCase): Json {
  const spec = parseVersionSpec(c.input);
  return { base: spec.base, ancestor: spec.ancestor, errors: errs(spec.errors), kinds: classifyVersion(c.input) };
}

export interface ParamsCase { schema: Record<string, ParamSchema>; given: Record<string, unknown>; fromStrings: boolean }
export function paramsAnswer(c: ParamsCase): Json {
  const { values, problems } = validateParams(c.schema, c.given, { fromStrings: c.fromStrings });
  return { values, problems: problems.map((p) => ({ code: p.code, param: p.param })) };
}

export type AssignmentCase =
  | { fnv1a32: string }
  | { seed: string; unit: string }
  | { definition: ExperimentDefinition; unit: string };
export function assignmentAnswer(c: AssignmentCase): Json {
  if ('fnv1a32' in c) return { hash: fnv1a32(c.fnv1a32) };
  if ('definition' in c) {
    const weights = c.definition.variants.map((v) => v.weight);
    return { variant: assign(assigner(c.definition.seed, weights, c.definition.coverage), c.unit), ranges: bucketRanges(variationWeights(weights), c.definition.coverage) };
  }
  return { n: hashV2(c.seed, c.unit) };
}

export interface RenderCase {
  type: 'text' | 'chat';
  template: string;
  params: Record<string, ParamSchema>;
  partials?: Record<string, { template: string; params?: Record<string, ParamSchema> }>;
  given: Record<string, unknown>;
}
const file = (type: PromptFile['type'], body: string, params: Record<string, ParamSchema>): PromptFile =>
  ({ type, params, body, bodyStart: 0, tags: [], status: 'active', data: {}, ranges: { params: {}, keys: {} } });
export function renderAnswer(c: RenderCase): Json {
  const out = renderPrompt(file(c.type, c.template, c.params), c.given, (id) => {
    const p = c.partials?.[id];
    return p && file('text', p.template, p.params ?? {});
  }, { id: 'main' });
  return {
    text: out.text ?? null,
    messages: out.messages ?? null,
    errors: out.problems.filter((p) => p.severity === 'error').map((p) => p.code),
  };
}

export const SUITES = {
  uri: uriAnswer,
  shortref: shortRefAnswer,
  versionSpec: versionAnswer,
  params: paramsAnswer,
  assignment: assignmentAnswer,
  render: renderAnswer,
} as const;
export type SuiteName = keyof typeof SUITES;

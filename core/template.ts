/**
 * Prompt templates: Mustache without HTML escaping, partials that include other
 * prompts of the same repo, and chat prompts rendered as messages. Templates are
 * checked and tokenized once and cached by their text, so a render costs microseconds.
 */
import { LRUCache } from 'lru-cache';
import Mustache from 'mustache';
import { markRoles, splitMessages, stripMarks, type ChatMessage } from './chat';
import { collectIncludes, templatePartials } from './includes';
import { toText, ValueWriter } from './insert';
import { validateParams } from './params';
import type { ParamSchema, PromptFile } from './promptFile';
import { MAX_NESTING, scanTemplate } from './templateScan';
import type { ErrorCode } from './errors';
import type { Problem, Range } from './text';

export type { ChatMessage } from './chat';
export { MAX_NESTING, scanTemplate } from './templateScan';

export interface TemplateVariable {
  /** The first segment of the name as written: `user` for `{{user.name}}`. */
  name: string;
  /** The whole name as written (`user.name`), in the body. */
  range: Range;
  kind: 'variable' | 'section' | 'inverted' | 'unescaped';
  /** Enclosing section names, outermost first: inside `{{#items}}`, a name may be a field of each item. */
  within: readonly string[];
}

/** Every use of a name, in source order, at any depth; `{{.}}` is not a name. */
export function templateVariables(body: string): TemplateVariable[] {
  const variables: TemplateVariable[] = [];
  for (const tag of scanTemplate(body).tags) {
    if (tag.kind !== 'variable' && tag.kind !== 'unescaped' && tag.kind !== 'section' && tag.kind !== 'inverted') continue;
    const name = tag.name.split('.')[0];
    if (name) variables.push({ name, range: tag.nameRange, kind: tag.kind, within: tag.within });
  }
  return variables;
}

export { templatePartials };

/**
 * Warnings on how the body uses the declared params: `undeclared_param` on a name that no
 * param declares (of this prompt or of the prompts it includes) and no enclosing section
 * could provide as a field; `unused_param` on a param that neither the body nor its
 * includes use. Ranges are offsets in the prompt's source text.
 */
export function paramUsageProblems(file: PromptFile, lookupPartial: (id: string) => PromptFile | undefined = () => undefined): Problem[] {
  const declared: Record<string, ParamSchema> = { ...file.params };
  const used = new Set<string>();
  for (const partial of collectIncludes(file.body, (id) => lookupSafely(lookupPartial, id), (p) => p.body).values()) {
    for (const [name, param] of Object.entries(partial.params)) if (!Object.hasOwn(declared, name)) declared[name] = param;
    for (const variable of templateVariables(partial.body)) used.add(variable.name);
  }
  // Inside `{{#items}}`, a name may be a field of each item when `items` is a list or an object (or unknown).
  const mayProvide = (section: string) => {
    const param = Object.hasOwn(declared, section.split('.')[0]) ? declared[section.split('.')[0]] : undefined;
    return !param || param.type === 'array' || param.type === 'object';
  };
  const problems: Problem[] = [];
  for (const variable of templateVariables(file.body)) {
    used.add(variable.name);
    if (Object.hasOwn(declared, variable.name) || variable.within.some(mayProvide)) continue;
    const { start, end } = variable.range;
    problems.push({ code: 'undeclared_param', message: `\`${variable.name}\` is not a declared param, so it always renders empty; declare it under \`params:\`.`, range: { start: start + file.bodyStart, end: end + file.bodyStart }, severity: 'warning' });
  }
  for (const [name, range] of Object.entries(file.ranges.params)) {
    if (!used.has(name)) problems.push({ code: 'unused_param', message: `Param \`${name}\` is declared but the template never uses it.`, range, severity: 'warning' });
  }
  return problems;
}

export interface RenderResult {
  /** The rendered text of a text prompt, only when there were no errors. */
  text?: string;
  /** The rendered messages of a chat prompt, only when there were no errors. */
  messages?: ChatMessage[];
  /** Ranges are offsets in the prompt's source text; param problems also name the `param`. */
  problems: (Problem & { param?: string })[];
  /** The params after validation, defaults applied. */
  values: Record<string, unknown>;
  /** When there were errors but the template itself is sound: a best-effort render for previews, never to be sent. */
  preview?: { text?: string; messages?: ChatMessage[] };
}

export function renderPrompt(
  file: PromptFile,
  params: Record<string, unknown>,
  lookupPartial: (id: string) => PromptFile | undefined,
  opts: { fromStrings?: boolean; /** The prompt's own ID, so a cycle back to it is named. */ id?: string } = {},
): RenderResult {
  const included = collectPartials(file, lookupPartial, opts.id);
  const problems = shift(included.problems, file.bodyStart);
  const { values, problems: paramProblems } = validateParams(included.schema, params ?? {}, opts);
  for (const p of paramProblems) {
    const declared = p.code !== 'unknown_param' && Object.hasOwn(file.ranges.params, p.param) ? file.ranges.params[p.param] : undefined;
    problems.push(declared ? { ...p, range: declared } : p);
  }
  if (included.problems.length) return { problems, values };

  const chat = file.type === 'chat';
  const source = (body: string) => (chat ? marked(body) : body);
  let output: string;
  try {
    const writer = chat ? chatWriter : textWriter;
    const view = Object.assign(Object.create(null) as object, values);
    output = writer.render(source(file.body), view, (id: string) => {
      const partial = included.partials.get(id);
      return partial && source(partial.body);
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const range = { start: file.bodyStart, end: file.bodyStart + file.body.length };
    return { problems: [...problems, { code: 'render_failed', message: `Rendering failed: ${message}`, range, severity: 'error' }], values };
  }
  const rendered = chat ? { messages: splitMessages(output) } : { text: output };
  return problems.some((p) => p.severity === 'error') ? { problems, values, preview: rendered } : { problems, values, ...rendered };
}

/**
 * Finds every prompt the template includes, depth first, with the params they
 * declare (the including prompt's declaration wins). Problems inside a partial are
 * reported on the `{{> id}}` tag of the top-level body that led to it.
 */
function collectPartials(file: PromptFile, lookup: (id: string) => PromptFile | undefined, rootId: string | undefined) {
  const partials = new Map<string, PromptFile>();
  const schema: Record<string, ParamSchema> = { ...file.params };
  const problems: Problem[] = [];
  const depths = new Map<string, number>();

  const visit = (body: string, path: string[], via: Range | undefined): number => {
    const scan = scanTemplate(body);
    const inside = via && `In \`${path.join(' → ')}\`: `;
    for (const p of scan.problems) problems.push(via ? { ...p, message: inside + p.message, range: via } : p);
    let depth = scan.depth;
    for (const tag of scan.tags) {
      if (tag.kind !== 'partial') continue;
      const id = tag.name;
      const where = via ?? tag.range;
      const report = (code: ErrorCode, message: string) => problems.push({ code, message, range: where, severity: 'error' });
      if (path.includes(id)) {
        report('partial_cycle', `The partials include each other in a cycle: ${[...path.slice(path.indexOf(id)), id].join(' → ')}.`);
        continue;
      }
      let inner = depths.get(id);
      if (inner === undefined) {
        const partial = lookupSafely(lookup, id);
        if (!partial) {
          report('unknown_partial', `${inside || ''}\`{{> ${id}}}\` includes \`${id}\`, but there is no prompt with that ID.`);
          continue;
        }
        partials.set(id, partial);
        for (const [name, param] of Object.entries(partial.params)) if (!Object.hasOwn(schema, name)) schema[name] = param;
        inner = visit(partial.body, [...path, id], where);
        depths.set(id, inner);
      }
      depth = Math.max(depth, tag.within.length + 1 + inner);
    }
    return depth;
  };
  const depth = visit(file.body, rootId ? [rootId] : [], undefined);
  if (depth > MAX_NESTING && !problems.some((p) => p.code === 'nesting_too_deep')) {
    problems.push({ code: 'nesting_too_deep', message: `Sections and partials are nested ${depth} levels deep; the limit is ${MAX_NESTING}.`, range: { start: 0, end: file.body.length }, severity: 'error' });
  }
  return { partials, schema, problems };
}

function lookupSafely(lookup: (id: string) => PromptFile | undefined, id: string): PromptFile | undefined {
  try {
    return lookup(id);
  } catch {
    return undefined;
  }
}

function shift(problems: Problem[], by: number): Problem[] {
  return problems.map((p) => ({ ...p, range: { start: p.range.start + by, end: p.range.end + by } }));
}

type Tokens = ReturnType<typeof Mustache.parse>;

/** Keyed by template text; bounded so a stream of distinct templates cannot grow memory without end. */
const tokenCache = new LRUCache<string, Tokens>({ max: 500, maxSize: 32_000_000, sizeCalculation: (_tokens, key) => key.length + 64 });
const markedCache = new LRUCache<string, string>({ max: 500, maxSize: 32_000_000, sizeCalculation: (value, key) => key.length + value.length + 64 });

function marked(body: string): string {
  let source = markedCache.get(body);
  if (source === undefined) markedCache.set(body, (source = markRoles(body)));
  return source;
}

/** A writer that inserts values unescaped and shares the bounded token cache. */
class PromptWriter extends ValueWriter {
  /** Replaces Mustache's own unbounded per-writer cache; tokens live in `tokenCache`. */
  templateCache = undefined;

  override parse(template: string): Tokens {
    const cached = tokenCache.get(template);
    if (cached) return cached;
    const tokens = super.parse(template);
    tokenCache.set(template, tokens);
    return tokens;
  }
}

const textWriter = new PromptWriter(toText);
const chatWriter = new PromptWriter((value) => stripMarks(toText(value)));

/**
 * A cached entry's render, compiled once: the params schema (partials' params merged in)
 * checked by a straight loop, and the Mustache tokens walked with values inserted as core
 * inserts them (no HTML escaping; scalars as text, lists and objects as JSON). Core's
 * `renderPrompt` re-derives partials and schema on every call; for a cached get the
 * difference is most of the cost. Anything this does not handle — a problem with the
 * params, an unusual template — returns undefined, and core renders (and names the problem).
 * A property test holds the two to the same output.
 */
import Mustache from 'mustache';
import { markRoles, splitMessages, stripMarks, type ChatMessage } from '../core/chat';
import { PromptContext, toText, ValueWriter } from '../core/insert';
import { hasType, valueError } from '../core/params';
import type { ParamSchema } from '../core/promptFile';
import { MAX_NESTING, scanTemplate } from '../core/template';

export interface CompiledPrompt {
  /** The rendered prompt and the values used, or undefined when core must decide. */
  render(given: Record<string, unknown>): { text: string | null; messages: ChatMessage[] | null; params: Record<string, unknown> } | undefined;
}

export interface CompileInput {
  type: 'text' | 'chat';
  template: string;
  params: Record<string, ParamSchema>;
  partials?: Record<string, { template: string; params: Record<string, ParamSchema> }>;
}

/** Mustache's token: [type, value, start, end, children?, …]; a partial tag also carries its indentation. */
type Token = [string, string, number, number, ...unknown[]];

const textWriter = new ValueWriter(toText);
const chatWriter = new ValueWriter((value) => stripMarks(toText(value)));

/** Compiles `input`, or returns undefined when only core should render it. */
export function compilePrompt(input: CompileInput): CompiledPrompt | undefined {
  const chat = input.type === 'chat';
  const source = (body: string) => (chat ? markRoles(body) : body);
  const included = includedPartials(input);
  if (included === undefined) return undefined;
  // Core's schema: the prompt's params, then those of each included partial in the order
  // it first meets them, the first declaration of a name winning.
  const schema: [string, ParamSchema][] = Object.entries(input.params);
  const partialSources = new Map<string, string>();
  for (const id of included) {
    const partial = input.partials![id];
    partialSources.set(id, source(partial.template));
    for (const entry of Object.entries(partial.params)) if (!schema.some(([name]) => name === entry[0])) schema.push(entry);
  }
  // `__proto__` as a param name is left to core, which sets values with defineProperty.
  if (schema.some(([name]) => name === '__proto__')) return undefined;
  const declared = new Set(schema.map(([name]) => name));
  // Each param's check, decided once: a bare type test unless an enum needs core's comparison.
  const checks = schema.map(([name, param]) => ({
    name,
    fallback: param.default,
    required: param.required === true,
    fits: param.enum ? (value: unknown) => valueError(param, value) === undefined : (value: unknown) => hasType(param.type, value),
  }));
  const body = source(input.template);
  let tokens: Token[];
  try {
    tokens = inlinePartials(new Mustache.Writer().parse(body) as Token[], partialSources);
  } catch {
    return undefined;
  }
  // The common flat template (text and plain variables only) is a concatenation.
  const flat = !chat && tokens.every((t) => t[0] === 'text' || t[0] === '!' || t[0] === '=' || ((t[0] === 'name' || t[0] === '&') && !t[1].includes('.')));
  const writer = chat ? chatWriter : textWriter;

  return {
    render(given) {
      const values: Record<string, unknown> = {};
      for (const name in given) if (!declared.has(name) && Object.hasOwn(given, name)) return undefined;
      for (const { name, fallback, required, fits } of checks) {
        const value = Object.hasOwn(given, name) ? given[name] : undefined;
        if (value === undefined) {
          if (fallback !== undefined) values[name] = fallback;
          else if (required) return undefined;
        } else if (fits(value)) values[name] = value;
        else return undefined;
      }
      if (flat) {
        let text = '';
        for (const t of tokens) {
          if (t[0] === 'text') text += t[1];
          else if (t[0] === 'name' || t[0] === '&') {
            const value = Object.hasOwn(values, t[1]) ? values[t[1]] : undefined;
            if (value != null) text += toText(value);
          }
        }
        return { text, messages: null, params: values };
      }
      const view = Object.assign(Object.create(null) as object, values);
      const output = writer.renderTokens(tokens as string[][], new PromptContext(view), undefined, body, undefined);
      return chat ? { text: null, messages: splitMessages(output), params: values } : { text: output, messages: null, params: values };
    },
  };
}

/**
 * Replaces each `{{> id}}` with the partial's own tokens, indented as Mustache indents a
 * standalone partial tag, so a render never parses or looks up anything.
 */
function inlinePartials(tokens: Token[], partials: Map<string, string>): Token[] {
  const out: Token[] = [];
  for (const token of tokens) {
    if (token[0] === '>') {
      const value = partials.get(token[1])!;
      const [indentation, tagIndex, lineHasNonSpace] = [token[4] as string, token[5] as number, token[6] as boolean];
      const indented = tagIndex === 0 && indentation ? indenter.indentPartial(value, indentation, lineHasNonSpace) : value;
      out.push(...inlinePartials(new Mustache.Writer().parse(indented) as Token[], partials));
    } else if ((token[0] === '#' || token[0] === '^') && Array.isArray(token[4])) {
      const inlined: Token = [...token];
      inlined[4] = inlinePartials(token[4] as Token[], partials);
      out.push(inlined);
    } else {
      out.push(token);
    }
  }
  return out;
}

const indenter = new Mustache.Writer() as Mustache.Writer & { indentPartial(partial: string, indentation: string, lineHasNonSpace: boolean): string };

/**
 * The partials the template includes, in the order core first meets them (depth first),
 * or undefined when core would report a problem: a template that does not scan clean, a
 * missing partial, a partial including itself, or nesting past core's limit.
 */
function includedPartials(input: CompileInput): string[] | undefined {
  const partials = input.partials ?? {};
  const order: string[] = [];
  let depth = 0;
  const visit = (body: string, path: string[]): boolean => {
    const scan = scanTemplate(body);
    if (scan.problems.length > 0) return false;
    depth += scan.depth + 1;
    for (const tag of scan.tags) {
      if (tag.kind !== 'partial') continue;
      if (path.includes(tag.name) || !Object.hasOwn(partials, tag.name)) return false;
      if (order.includes(tag.name)) continue;
      order.push(tag.name);
      if (!visit(partials[tag.name].template, [...path, tag.name])) return false;
    }
    return true;
  };
  return visit(input.template, ['']) && depth <= MAX_NESTING ? order : undefined;
}

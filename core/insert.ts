/**
 * How a value enters a rendered prompt: no HTML escaping (prompts are not HTML);
 * strings as is, other scalars as text, lists and objects as JSON. Core's renderer and
 * the SDK's compiled renders share it, so both produce the same text.
 */
import Mustache from 'mustache';

export function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return String(value);
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}

/**
 * Name lookup as the Mustache spec defines it, over JSON-like values only. The first
 * segment of a dotted name is found in the nearest context that has it; the rest are
 * looked up only inside that value, so `{{#a}}{{b.c}}{{/a}}` with `a: {b: {}}` renders
 * empty and never falls back to a `b.c` further out (mustache.js would). Only own
 * properties count, so `{{constructor}}` inside an object section is not Object's.
 */
export class PromptContext extends Mustache.Context {
  override push(view: unknown): PromptContext {
    return new PromptContext(view, this);
  }

  override lookup(name: string): unknown {
    if (name === '.') return this.view;
    const [first, ...rest] = name.split('.');
    let context: Mustache.Context | undefined = this;
    while (context && !(isObject(context.view) && Object.hasOwn(context.view, first))) context = context.parent;
    let value: unknown = context?.view[first];
    for (const key of rest) {
      // A string's `length` is its own property: `{{s.length}}` works as in mustache.js.
      if (value == null || !Object.hasOwn(value, key)) return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    return value;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A Mustache writer whose `{{x}}` and `{{{x}}}` both insert through `insert`, unescaped, with names looked up as `PromptContext` does. */
export class ValueWriter extends Mustache.Writer {
  constructor(private readonly insert: (value: unknown) => string) {
    super();
  }

  override render(template: string, view: unknown, partials?: Mustache.PartialsOrLookupFn, config?: Mustache.OpeningAndClosingTags | Mustache.RenderOptions): string {
    return super.render(template, view instanceof PromptContext ? view : new PromptContext(view), partials, config);
  }

  override escapedValue(token: string[], context: Mustache.Context): string {
    return this.unescapedValue(token, context);
  }

  override unescapedValue(token: string[], context: Mustache.Context): string {
    const value: unknown = context.lookup(token[1]);
    return value == null ? '' : this.insert(value);
  }
}

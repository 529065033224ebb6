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

/** A Mustache writer whose `{{x}}` and `{{{x}}}` both insert through `insert`, unescaped. */
export class ValueWriter extends Mustache.Writer {
  constructor(private readonly insert: (value: unknown) => string) {
    super();
  }

  override escapedValue(token: string[], context: Mustache.Context): string {
    return this.unescapedValue(token, context);
  }

  override unescapedValue(token: string[], context: Mustache.Context): string {
    const value: unknown = context.lookup(token[1]);
    return value == null ? '' : this.insert(value);
  }
}

/**
 * Checks the values given to a prompt against the params its front matter declares.
 * Values may arrive typed (JSON bodies, SDK calls) or as strings (URI query params),
 * which are coerced by the declared type so `?count=3` means the number 3.
 */
import type { ErrorCode } from './errors';
import type { Problem } from './text';

export type ParamType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';

/** A param as a prompt's front matter declares it. */
export interface ParamSchema {
  type: ParamType;
  required?: boolean;
  default?: unknown;
  enum?: unknown[];
  description?: string;
}

export interface ParamProblem extends Problem {
  /** The param the problem is about. */
  param: string;
}

export const PARAM_TYPES: readonly ParamType[] = ['string', 'number', 'integer', 'boolean', 'array', 'object'];

/** Params carry no source position of their own; callers that know where a param was written map by `param`. */
const NOWHERE = { start: 0, end: 0 };

export function validateParams(
  schema: Record<string, ParamSchema>,
  given: Record<string, unknown>,
  opts: { fromStrings?: boolean } = {},
): { values: Record<string, unknown>; problems: ParamProblem[] } {
  const values: Record<string, unknown> = {};
  const problems: ParamProblem[] = [];
  const report = (code: ErrorCode, param: string, message: string) =>
    problems.push({ code, param, message, range: NOWHERE, severity: 'error' });

  for (const name of Object.keys(given ?? {})) {
    if (!Object.hasOwn(schema, name)) {
      const known = Object.keys(schema);
      report('unknown_param', name, `Unknown param \`${name}\`; ${known.length ? `declared params: ${known.join(', ')}` : 'this prompt declares no params'}.`);
    }
  }
  for (const [name, param] of Object.entries(schema)) {
    const raw = given != null && Object.hasOwn(given, name) ? given[name] : undefined;
    if (raw === undefined) {
      if (param.default !== undefined) setOwn(values, name, param.default);
      else if (param.required) report('missing_param', name, `Missing required param \`${name}\` (${param.type}).`);
      continue;
    }
    const value = opts.fromStrings && typeof raw === 'string' ? fromString(param.type, raw) : raw;
    const wrong = valueError(param, value);
    if (wrong) report('invalid_param_value', name, `Param \`${name}\` ${wrong}.`);
    else setOwn(values, name, value);
  }
  return { values, problems };
}

/**
 * Why `text`, written in a URI query, does not fit `param` once converted by its type the
 * way a render converts it (`?seats=+3` is the integer 3); undefined when it fits.
 */
export function queryValueError(param: Pick<ParamSchema, 'type' | 'enum'>, text: string): string | undefined {
  return valueError(param, fromString(param.type, text));
}

/** Why `value` does not fit `param`, or undefined when it does. Also used to check defaults. */
export function valueError(param: Pick<ParamSchema, 'type' | 'enum'>, value: unknown): string | undefined {
  if (!hasType(param.type, value)) return `must be ${article(param.type)}, got ${describe(value)}`;
  if (param.enum && !param.enum.some((allowed) => sameValue(allowed, value))) {
    return `must be one of ${param.enum.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(value)}`;
  }
  return undefined;
}

export function hasType(type: ParamType, value: unknown): boolean {
  switch (type) {
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'integer': return Number.isSafeInteger(value);
    case 'boolean': return typeof value === 'boolean';
    case 'array': return Array.isArray(value);
    case 'object': return isPlainObject(value);
  }
}

/** Coerces a URI string by the declared type; a string that does not convert is returned as is and fails the type check. */
function fromString(type: ParamType, text: string): unknown {
  switch (type) {
    case 'string': return text;
    case 'number': return /^\s*$/.test(text) ? text : Number(text);
    case 'integer': return /^[+-]?\d+$/.test(text) ? Number(text) : text;
    case 'boolean': return text === 'true' ? true : text === 'false' ? false : text;
    case 'array':
    case 'object':
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Structural equality for JSON-like values (enum membership). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
  }
  return false;
}

/** Assigns even a key named `__proto__` as an ordinary own property. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function article(type: ParamType): string {
  return type === 'integer' || type === 'array' || type === 'object' ? `an ${type}` : `a ${type}`;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'number' && !Number.isInteger(value)) return `the number ${value}`;
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

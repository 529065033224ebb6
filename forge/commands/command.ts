/** The shape of a `promptforge` sub-command and the errors that end one. */
import type { ParseArgsConfig } from 'node:util';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface Command {
  name: string;
  summary: string;
  /** Full `--help` text after the usage line. */
  help: string;
  usage: string;
  options: Options;
  run(values: Values, positionals: string[]): Promise<number>;
}

/** Wrong use of the command line: exit code 2 and a hint to `--help`. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function list(values: Values, name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : [];
}

/** `k=v` pairs from repeated `--param`. */
export function pairs(items: string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag} "${item}" must be NAME=VALUE`);
    const name = item.slice(0, eq);
    if (Object.hasOwn(out, name)) throw new UsageError(`${flag} ${name} is given twice`);
    out[name] = item.slice(eq + 1);
  }
  return out;
}

export function arity(positionals: string[], names: string[]): string[] {
  if (positionals.length < names.length) throw new UsageError(`missing ${names.slice(positionals.length).join(' ')}`);
  if (positionals.length > names.length) throw new UsageError(`unexpected argument "${positionals[names.length]}"`);
  return positionals;
}

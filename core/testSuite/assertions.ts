/**
 * What each assertion type means, as promptfoo defines it. Deterministic checks run
 * here; `llm-rubric` and `similar` ask a model through the functions the caller gives,
 * so nothing in a repository's test file ever runs code.
 */
import Ajv from 'ajv';
import type { Assertion } from './types';

export interface AssertionOutcome {
  pass: boolean;
  /** 0–1; a plain pass is 1, a fail 0. */
  score: number;
  /** Why it failed (or, for a negated assertion, why it passed when it should not have). */
  reason?: string;
  /** For editors and reports: what was wanted and what came. */
  expected?: string;
  actual?: string;
}

/** What an assertion looks at. */
export interface AssertionSubject {
  /** The model's answer, or the rendered prompt for `target: render`. */
  text: string;
  latencyMs?: number;
  /** In dollars, when the endpoint reports it. */
  cost?: number;
}

/** Model-backed checks; absent when the run has no endpoint. */
export interface Graders {
  /** Asks a model whether `output` meets `rubric`: promptfoo's `{pass, score, reason}`. */
  rubric?(rubric: string, output: string): Promise<{ pass: boolean; score: number; reason: string }>;
  /** Embeds texts, for `similar`. */
  embed?(texts: string[]): Promise<number[][]>;
}

const DEFAULT_LEVENSHTEIN = 5;
const DEFAULT_SIMILARITY = 0.75;
const ajv = new Ajv({ allErrors: false, strict: false });

export async function evaluateAssertion(assertion: Assertion, subject: AssertionSubject, graders: Graders = {}): Promise<AssertionOutcome> {
  const plain = await evaluatePlain(assertion, subject, graders);
  if (!assertion.negate) return plain;
  return plain.pass
    ? { pass: false, score: 1 - plain.score, reason: `expected not-${assertion.type} to fail, but it passed`, expected: `not ${plain.expected ?? ''}`.trim(), actual: plain.actual }
    : { pass: true, score: 1 - plain.score };
}

async function evaluatePlain(a: Assertion, subject: AssertionSubject, graders: Graders): Promise<AssertionOutcome> {
  const text = subject.text;
  const value = a.value;
  const check = (pass: boolean, expected: string, reason: string): AssertionOutcome =>
    pass ? { pass, score: 1, expected, actual: excerpt(text) } : { pass, score: 0, reason, expected, actual: excerpt(text) };
  switch (a.type) {
    case 'equals': {
      if (typeof value === 'string') return check(text === value, value, 'the output is not exactly the expected text');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return check(false, JSON.stringify(value), 'the output is not JSON, so it cannot equal the expected value');
      }
      return check(deepEqual(parsed, value), JSON.stringify(value), 'the output JSON differs from the expected value');
    }
    case 'contains':
      return check(text.includes(value as string), value as string, `the output does not contain ${JSON.stringify(value)}`);
    case 'icontains':
      return check(text.toLowerCase().includes((value as string).toLowerCase()), value as string, `the output does not contain ${JSON.stringify(value)} (ignoring case)`);
    case 'contains-any': {
      const list = value as string[];
      return check(list.some((v) => text.includes(v)), `any of ${JSON.stringify(list)}`, `the output contains none of ${JSON.stringify(list)}`);
    }
    case 'contains-all': {
      const missing = (value as string[]).filter((v) => !text.includes(v));
      return check(missing.length === 0, `all of ${JSON.stringify(value)}`, `the output lacks ${JSON.stringify(missing)}`);
    }
    case 'starts-with':
      return check(text.startsWith(value as string), `${value as string}…`, `the output does not start with ${JSON.stringify(value)}`);
    case 'regex':
      return check(new RegExp(value as string).test(text), `/${value as string}/`, `the output does not match /${value as string}/`);
    case 'is-json':
      return isJson(text, value as Record<string, unknown> | undefined);
    case 'levenshtein': {
      const max = a.threshold ?? DEFAULT_LEVENSHTEIN;
      const distance = levenshtein(text, value as string);
      return check(distance <= max, `within ${max} edits of ${JSON.stringify(value)}`, `the output is ${distance} edits from the expected text (at most ${max} allowed)`);
    }
    case 'latency': {
      const max = a.threshold as number;
      if (subject.latencyMs === undefined) return { pass: false, score: 0, reason: 'no latency was measured (the answer did not come from a model)' };
      return { ...check(subject.latencyMs <= max, `≤ ${max} ms`, `the answer took ${Math.round(subject.latencyMs)} ms (at most ${max} ms allowed)`), actual: `${Math.round(subject.latencyMs)} ms` };
    }
    case 'cost': {
      const max = a.threshold as number;
      if (subject.cost === undefined) return { pass: false, score: 0, reason: 'the endpoint reported no cost for this answer' };
      return { ...check(subject.cost <= max, `≤ $${max}`, `the answer cost $${subject.cost} (at most $${max} allowed)`), actual: `$${subject.cost}` };
    }
    case 'llm-rubric': {
      if (!graders.rubric) return { pass: false, score: 0, reason: '`llm-rubric` needs a model endpoint to grade with' };
      const verdict = await graders.rubric(value as string, text);
      const pass = a.threshold === undefined ? verdict.pass : verdict.score >= a.threshold;
      return { pass, score: verdict.score, reason: pass ? undefined : verdict.reason, expected: value as string, actual: excerpt(text) };
    }
    case 'similar': {
      if (!graders.embed) return { pass: false, score: 0, reason: '`similar` needs an embeddings endpoint' };
      const [x, y] = await graders.embed([value as string, text]);
      const similarity = cosine(x, y);
      const min = a.threshold ?? DEFAULT_SIMILARITY;
      return { pass: similarity >= min, score: Math.max(0, similarity), reason: similarity >= min ? undefined : `similarity ${similarity.toFixed(3)} is below ${min}`, expected: value as string, actual: excerpt(text) };
    }
  }
}

function isJson(text: string, schema: Record<string, unknown> | undefined): AssertionOutcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { pass: false, score: 0, reason: `the output is not valid JSON: ${(error as Error).message}`, expected: 'JSON', actual: excerpt(text) };
  }
  if (!schema) return { pass: true, score: 1 };
  let validate;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    return { pass: false, score: 0, reason: `the JSON Schema is not valid: ${(error as Error).message}` };
  }
  if (validate(parsed)) return { pass: true, score: 1 };
  const first = validate.errors?.[0];
  return { pass: false, score: 0, reason: `the output JSON does not match the schema: ${first ? `${first.instancePath || '/'} ${first.message}` : 'invalid'}`, expected: 'JSON matching the schema', actual: excerpt(text) };
}

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

export function cosine(x: number[], y: number[]): number {
  let dot = 0;
  let nx = 0;
  let ny = 0;
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    dot += x[i] * y[i];
    nx += x[i] * x[i];
    ny += y[i] * y[i];
  }
  return nx === 0 || ny === 0 ? 0 : dot / Math.sqrt(nx * ny);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function excerpt(text: string): string {
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

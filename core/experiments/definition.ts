/**
 * Experiment definitions (DESIGN §7): the shape kept in git and sent to SDKs, and the
 * checks a requested definition must pass. Pure; version specs are resolved by the
 * forge, which then calls `checkVariantsAgainstControl` with the SHAs.
 */
import { assigner, type Assigner } from './assign';

export type GuardrailMetric = 'successRate' | 'latencyP95';

export type Guardrail =
  /** The variant's success rate may not fall more than `maxDrop` (absolute, 0.05 = 5 points) below the control's. */
  | { metric: 'successRate'; maxDrop: number }
  /** The variant's p95 latency may not rise more than `maxRise` (relative, 0.2 = 20%) above the control's. */
  | { metric: 'latencyP95'; maxRise: number };

export interface Variant {
  /** Names the variant in answers, usage events and results: `control` is reserved. */
  name: string;
  /** The version spec as given (`HEAD`, `1.3.0`, a SHA). */
  version: string;
  /** The commit it resolved to when the experiment was started or changed. */
  sha: string;
  /** Share of units (0–1); the control gets what the variants leave. */
  weight: number;
}

/** What assignment needs: sent to SDKs and editors with resolves and over the event stream. */
export interface ExperimentWire {
  /** Unique per started experiment; usage events carry it as `experiment`. */
  key: string;
  repo: string;
  id: string;
  label: string;
  seed: string;
  coverage: number;
  status: 'running' | 'stopped';
  variants: { name: string; sha: string; weight: number }[];
}

export interface Experiment extends ExperimentWire {
  variants: Variant[];
  /** The label's target when the experiment started (the control is always the label's target). */
  control: string;
  guardrails: Guardrail[];
  minCalls: number;
  startedAt: string;
  updatedAt: string;
}

/** A definition as asked for, before the forge resolves versions. */
export interface ExperimentRequest {
  variants: { name: string; version: string; weight: number }[];
  coverage: number;
  seed?: string;
  guardrails: Guardrail[];
  minCalls: number;
}

export type ExperimentErrorCode =
  | 'invalid_experiment'
  | 'invalid_variants'
  | 'invalid_weights'
  | 'invalid_coverage'
  | 'invalid_guardrail'
  | 'invalid_min_calls'
  | 'invalid_seed'
  | 'variant_is_control';

export type Checked<T> = { ok: true; value: T } | { ok: false; code: ExperimentErrorCode; message: string };

export const CONTROL = 'control';
export const DEFAULT_MIN_CALLS = 200;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_VARIANTS = 10;
/** Weights are given as decimals; a sum of 1 ± this leaves the control nothing. */
const EPS = 1e-9;

class Bad extends Error {
  constructor(readonly code: ExperimentErrorCode, message: string) {
    super(message);
  }
}

/**
 * Checks a request body. `previous` (a running experiment being changed) supplies
 * the seed and anything the body leaves out, so a ramp is just `{coverage}`.
 */
export function validateExperimentRequest(body: unknown, previous?: Experiment): Checked<ExperimentRequest> {
  try {
    return { ok: true, value: check(body, previous) };
  } catch (e) {
    if (e instanceof Bad) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
}

function check(body: unknown, previous: Experiment | undefined): ExperimentRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Bad('invalid_experiment', 'an experiment must be a JSON object');
  const b = body as Record<string, unknown>;
  const variants = b.variants === undefined && previous ? previous.variants.map(({ name, version, weight }) => ({ name, version, weight })) : variantsOf(b.variants);
  const coverage = b.coverage === undefined ? (previous?.coverage ?? 1) : b.coverage;
  if (typeof coverage !== 'number' || !Number.isFinite(coverage) || coverage < 0 || coverage > 1) {
    throw new Bad('invalid_coverage', `"coverage" must be a number from 0 to 1 (0.5 = half of all units), got ${preview(coverage)}`);
  }
  const seed = b.seed === undefined ? previous?.seed : b.seed;
  if (seed !== undefined && (typeof seed !== 'string' || seed.length === 0 || seed.length > 200)) {
    throw new Bad('invalid_seed', `"seed" must be a non-empty string of at most 200 characters, got ${preview(seed)}`);
  }
  if (previous && seed !== previous.seed) throw new Bad('invalid_seed', 'the seed of a running experiment cannot change: every unit would move; stop it and start a new one');
  const guardrails = b.guardrails === undefined ? (previous?.guardrails ?? []) : guardrailsOf(b.guardrails);
  const minCalls = b.minCalls === undefined ? (previous?.minCalls ?? DEFAULT_MIN_CALLS) : b.minCalls;
  if (!Number.isInteger(minCalls) || (minCalls as number) < 1 || (minCalls as number) > 1e9) {
    throw new Bad('invalid_min_calls', `"minCalls" must be a whole number of calls per variant ≥ 1, got ${preview(minCalls)}`);
  }
  return { variants, coverage, ...(seed !== undefined ? { seed: seed as string } : {}), guardrails, minCalls: minCalls as number };
}

function variantsOf(raw: unknown): ExperimentRequest['variants'] {
  if (!Array.isArray(raw) || raw.length === 0) throw new Bad('invalid_variants', '"variants" must be a non-empty array of {version, weight}');
  if (raw.length > MAX_VARIANTS) throw new Bad('invalid_variants', `at most ${MAX_VARIANTS} variants, got ${raw.length}`);
  const names = new Set<string>([CONTROL]);
  let sum = 0;
  const out = raw.map((v, i) => {
    const where = `variants[${i}]`;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Bad('invalid_variants', `${where} must be an object {version, weight}`);
    const { version, weight, name } = v as Record<string, unknown>;
    for (const key of Object.keys(v)) if (key !== 'version' && key !== 'weight' && key !== 'name') throw new Bad('invalid_variants', `${where} has an unknown field "${key}"`);
    if (typeof version !== 'string' || version === '') throw new Bad('invalid_variants', `${where}.version must be a version spec such as "HEAD" or "1.3.0"`);
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0 || weight >= 1) {
      throw new Bad('invalid_weights', `${where}.weight must be a share of units above 0 and below 1 (0.1 = 10%), got ${preview(weight)}`);
    }
    const given = name === undefined ? `v${i + 1}` : name;
    if (typeof given !== 'string' || !NAME.test(given)) throw new Bad('invalid_variants', `${where}.name must be letters, digits, ".", "_" or "-", got ${preview(name)}`);
    if (names.has(given)) throw new Bad('invalid_variants', `${where}.name "${given}" is ${given === CONTROL ? 'reserved for the label\'s own version' : 'used twice'}`);
    names.add(given);
    sum += weight;
    return { name: given, version, weight };
  });
  if (sum >= 1 - EPS) {
    throw new Bad('invalid_weights', `the variants' weights add up to ${round(sum)}; they must leave the control a share (sum below 1, e.g. 0.1 for a 90/10 split)`);
  }
  return out;
}

function guardrailsOf(raw: unknown): Guardrail[] {
  if (!Array.isArray(raw)) throw new Bad('invalid_guardrail', '"guardrails" must be an array such as [{"metric":"successRate","maxDrop":0.05}]');
  return raw.map((g, i) => {
    const where = `guardrails[${i}]`;
    if (typeof g !== 'object' || g === null) throw new Bad('invalid_guardrail', `${where} must be an object`);
    const { metric, maxDrop, maxRise, ...rest } = g as Record<string, unknown>;
    if (Object.keys(rest).length > 0) throw new Bad('invalid_guardrail', `${where} has an unknown field "${Object.keys(rest)[0]}"`);
    if (metric === 'successRate') {
      if (maxRise !== undefined || typeof maxDrop !== 'number' || !(maxDrop >= 0 && maxDrop < 1)) {
        throw new Bad('invalid_guardrail', `${where}: successRate takes "maxDrop", the largest tolerated fall in points from 0 to 1 (0.05 = 5 points), got ${preview(maxDrop)}`);
      }
      return { metric, maxDrop };
    }
    if (metric === 'latencyP95') {
      if (maxDrop !== undefined || typeof maxRise !== 'number' || !(maxRise >= 0 && maxRise <= 100)) {
        throw new Bad('invalid_guardrail', `${where}: latencyP95 takes "maxRise", the largest tolerated relative rise (0.2 = 20%), got ${preview(maxRise)}`);
      }
      return { metric, maxRise };
    }
    throw new Bad('invalid_guardrail', `${where}.metric must be "successRate" or "latencyP95", got ${preview(metric)}`);
  });
}

/** A variant that resolves to the label's own version would compare the control with itself. */
export function checkVariantsAgainstControl(control: string, variants: { name: string; version: string; sha: string }[]): Checked<true> {
  const same = variants.find((v) => v.sha === control);
  if (same) return { ok: false, code: 'variant_is_control', message: `variant "${same.name}" (${same.version}) is ${control.slice(0, 12)}, the label's own version: it would be compared with itself` };
  const seen = new Map<string, string>();
  for (const v of variants) {
    const other = seen.get(v.sha);
    if (other) return { ok: false, code: 'invalid_variants', message: `variants "${other}" and "${v.name}" are the same version ${v.sha.slice(0, 12)}` };
    seen.set(v.sha, v.name);
  }
  return { ok: true, value: true };
}

/** The assignment part of a definition. */
export function wireOf(e: Experiment): ExperimentWire {
  return { key: e.key, repo: e.repo, id: e.id, label: e.label, seed: e.seed, coverage: e.coverage, status: e.status, variants: e.variants.map(({ name, sha, weight }) => ({ name, sha, weight })) };
}

/** Ranges for a wire definition, or null when nothing is assigned (stopped). */
export function assignerOf(e: Pick<ExperimentWire, 'status' | 'seed' | 'coverage' | 'variants'>): Assigner | null {
  return e.status === 'running' ? assigner(e.seed, e.variants.map((v) => v.weight), e.coverage) : null;
}

/** Name of variation `index` as `assign` returns it (0 = control). */
export function variationName(e: Pick<ExperimentWire, 'variants'>, index: number): string {
  return index <= 0 ? CONTROL : e.variants[index - 1].name;
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

function preview(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

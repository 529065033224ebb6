/**
 * The JSON bodies the forge's API takes (DESIGN §4), each defined once as a valibot
 * schema; the TypeScript types are inferred from them. Objects are strict: a field the
 * API does not know is refused by name rather than silently ignored (a typo in
 * `expected` would otherwise turn a compare-and-swap into a blind write).
 */
import * as v from 'valibot';

/** A required string: empty counts as missing, as it did before the schemas. */
const required = v.pipe(v.string(), v.nonEmpty());
const optionalText = v.optional(v.nullable(v.string()));

export const PromoteBody = v.strictObject({ version: required, expected: optionalText });
export const ReleaseBody = v.strictObject({ version: required, ref: optionalText, notes: optionalText });
export const CommitBody = v.strictObject({ content: required, base: optionalText, message: optionalText, branch: optionalText, path: optionalText });
export const RenderBody = v.strictObject({ uri: v.unknown(), params: v.optional(v.nullable(v.unknown())) });
export const ReviewBody = v.strictObject({ version: optionalText, instruction: optionalText });
export const ApplyReviewBody = v.strictObject({ content: required, base: required, message: optionalText });
export const SessionBody = v.strictObject({ key: required });
export const DeleteLabelBody = v.strictObject({ expected: required });
export const TestRunBody = v.strictObject({ version: optionalText });
export const PromotionRequestBody = v.strictObject({ version: required, note: optionalText });
export const RequestStepBody = v.strictObject({ note: optionalText });
/** Each event is checked on its own (one bad event never costs the good ones). */
export const UsageBatchBody = v.strictObject({ events: v.array(v.unknown()) });

export type PromoteBody = v.InferOutput<typeof PromoteBody>;
export type ReleaseBody = v.InferOutput<typeof ReleaseBody>;
export type CommitBody = v.InferOutput<typeof CommitBody>;
export type ReviewBody = v.InferOutput<typeof ReviewBody>;
export type ApplyReviewBody = v.InferOutput<typeof ApplyReviewBody>;

export type WireSchema = v.GenericSchema<unknown, unknown>;

export interface WireProblem {
  code: 'unknown_field' | 'missing_field' | 'invalid_field';
  /** Where, as written in JSON: `events`, `params.seats`. */
  path: string;
  message: string;
}

/** The body as `schema` types it, or the first problem with the field's path. */
export function parseWire<S extends WireSchema>(schema: S, body: unknown): { ok: true; value: v.InferOutput<S> } | { ok: false; problem: WireProblem } {
  const result = v.safeParse(schema, body, { abortEarly: true });
  if (result.success) return { ok: true, value: result.output as v.InferOutput<S> };
  const issue = result.issues[0];
  const path = (issue.path ?? []).map((p) => String(p.key)).join('.');
  if (issue.expected === 'never') return { ok: false, problem: { code: 'unknown_field', path, message: `unknown field "${path}"` } };
  if (issue.input === undefined || issue.type === 'non_empty') return { ok: false, problem: { code: 'missing_field', path, message: `the body needs "${path}"` } };
  return { ok: false, problem: { code: 'invalid_field', path, message: `"${path}" must be ${issue.expected ?? 'of another type'}, not ${issue.received}` } };
}

// Shapes the forge answers and its clients read: declared here because the forge (which
// builds them) and the SDK (which reads them) may both import core and neither the other.

/** Per-version metrics (`GET …/usage`), the DESIGN §4 shape. */
export interface VersionMetrics {
  sha: string;
  release: string | null;
  labels: string[];
  calls: number;
  successRate: number | null;
  latencyP50: number | null;
  latencyP95: number | null;
  inputTokens: number;
  outputTokens: number;
  feedback: number | null;
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface SeriesPoint {
  /** Start of the bucket, ISO. */
  start: string;
  calls: number;
  successRate: number | null;
}

/** Calls and success per hour or day, per version (`GET …/usage?bucket=`). */
export interface Series {
  bucket: 'hour' | 'day';
  versions: { sha: string; points: SeriesPoint[] }[];
}

export interface Suggestion {
  title: string;
  detail: string;
}

/** What a model's review answer holds once read. */
export interface ReviewAnswer {
  summary: string;
  suggestions: Suggestion[];
  /** The complete revised file, or null when the model proposes no change. */
  revised: string | null;
}

/** A review (`POST …/review`). */
export interface ReviewResult extends ReviewAnswer {
  repo: string;
  id: string;
  /** The reviewed version: pass it back as `base` to apply the suggestion. */
  sha: string;
  /** Unified diff from the reviewed file to `revised`; null when there is no revision. */
  diff: string | null;
  model: string;
  usage: { inputTokens: number | null; outputTokens: number | null };
  /** How many consented samples went to the model. */
  samples: number;
  /** Errors in `revised` as a prompt file (1-based line and column): applying it would be refused. */
  problems: { code: string; message: string; line: number; column: number }[];
}

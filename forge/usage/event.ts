/**
 * Usage events as apps send them (DESIGN §4) and their validation. Pure: each event
 * is checked on its own so one bad event never costs the good ones in its batch.
 */
import { isValidSegment } from '../../core/uri';

import { errorStatus, isErrorCode, type ErrorCode } from '../../core/errors';

export const LIMITS = {
  /** Events per `POST /api/v1/usage` batch. */
  batchEvents: 1000,
  /** Serialized `metadata`, in UTF-16 code units. */
  metadataChars: 4096,
  /** Each consented `input` / `output` sample, serialized. */
  sampleChars: 16384,
  /** Short strings: trackingId, model. */
  shortChars: 256,
  /** A latency above this is a clock bug, not a call (one day). */
  latencyMs: 86_400_000,
  /** Clock skew tolerated for `at` in the future. */
  futureSkewMs: 5 * 60_000,
  /** Token counts are per call; anything above is a unit mistake. */
  tokens: 1e9,
} as const;

/** A validated event, ready to store. `at` is epoch milliseconds. */
export interface UsageEvent {
  repo: string;
  id: string;
  sha: string;
  at: number;
  trackingId: string | null;
  success: boolean | null;
  latencyMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  model: string | null;
  feedback: number | null;
  metadata: Record<string, unknown> | null;
  /** Samples are kept only when the app said the user consented. */
  consent: boolean;
  input: string | null;
  output: string | null;
  /** The experiment (its key) and the variant the SDK assigned, when the call was in one (DESIGN §7). */
  experiment?: string | null;
  variant?: string | null;
}

export interface Rejection {
  /** Position of the event in the batch. */
  index: number;
  /** Stable machine word, e.g. `invalid_sha`, `consent_required`. */
  code: ErrorCode;
  message: string;
}

export class UsageBatchError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.status = errorStatus(code);
  }
}

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const FIELDS = new Set([
  'uri', 'repo', 'id', 'sha', 'trackingId', 'success', 'latencyMs', 'inputTokens', 'outputTokens',
  'model', 'feedback', 'metadata', 'at', 'consent', 'input', 'output', 'experiment', 'variant',
  // Sent by clients that know them; the forge records its own view of the version instead.
  'release', 'labels', 'source',
]);

/** Checks the envelope `{events: [...]}`; per-event problems are left to `validateEvent`. */
export function validateBatch(body: unknown): unknown[] {
  if (!isPlainObject(body) || !Array.isArray(body.events)) {
    throw new UsageBatchError('invalid_batch', 'expected a JSON object {"events": [...]}');
  }
  if (body.events.length > LIMITS.batchEvents) {
    throw new UsageBatchError(
      'batch_too_large',
      `a batch holds at most ${LIMITS.batchEvents} events, got ${body.events.length}; split it`,
    );
  }
  return body.events;
}

class Invalid extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
  }
}

export type Checked = { ok: true; event: UsageEvent } | { ok: false; code: ErrorCode; message: string };

/**
 * Validates one event. `now` is injected so tests can pin the clock; events before
 * `oldestAt` (the retention window) are refused rather than stored and swept.
 */
export function validateEvent(raw: unknown, now: number, oldestAt = 0): Checked {
  try {
    return { ok: true, event: checkEvent(raw, now, oldestAt) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
}

function checkEvent(raw: unknown, now: number, oldestAt: number): UsageEvent {
  if (!isPlainObject(raw)) throw new Invalid('invalid_event', 'an event must be a JSON object');
  for (const key of Object.keys(raw)) {
    if (!FIELDS.has(key)) throw new Invalid('unknown_field', `unknown field "${key}"`);
  }
  const { repo, id, sha } = versionOf(raw);
  const at = timeOf(raw.at, now, oldestAt);
  const consent = optional<boolean>(raw, 'consent', (v) => typeof v === 'boolean', 'a boolean') ?? false;
  const input = sample(raw, 'input', consent);
  const output = sample(raw, 'output', consent);
  return {
    repo,
    id,
    sha,
    at,
    trackingId: shortString(raw, 'trackingId'),
    success: optional(raw, 'success', (v) => typeof v === 'boolean', 'a boolean'),
    latencyMs: optional(raw, 'latencyMs', (v) => isFiniteIn(v, 0, LIMITS.latencyMs), `a number of milliseconds from 0 to ${LIMITS.latencyMs}`),
    inputTokens: optional(raw, 'inputTokens', isTokenCount, 'a whole number ≥ 0'),
    outputTokens: optional(raw, 'outputTokens', isTokenCount, 'a whole number ≥ 0'),
    model: shortString(raw, 'model'),
    feedback: optional(raw, 'feedback', (v) => isFiniteIn(v, -1, 1), 'a number from -1 to 1'),
    metadata: metadataOf(raw.metadata),
    consent,
    input,
    output,
    ...experimentOf(raw),
  };
}

/** Both or neither: a variant means nothing without the experiment that assigned it. */
function experimentOf(raw: Record<string, unknown>): { experiment: string | null; variant: string | null } {
  const experiment = raw.experiment ?? null;
  const variant = raw.variant ?? null;
  if ((experiment === null) !== (variant === null)) {
    throw new Invalid('invalid_experiment', `give "experiment" and "variant" together (got only "${experiment === null ? 'variant' : 'experiment'}")`);
  }
  for (const [key, v] of [['experiment', experiment], ['variant', variant]] as const) {
    if (v !== null && (typeof v !== 'string' || v.length > LIMITS.shortChars || !isValidSegment(v))) {
      throw new Invalid(`invalid_${key}`, `"${key}" must be a name of letters, digits, ".", "_" or "-", got ${preview(v)}`);
    }
  }
  return { experiment: experiment as string | null, variant: variant as string | null };
}

function versionOf(raw: Record<string, unknown>): { repo: string; id: string; sha: string } {
  if (raw.uri !== undefined) {
    if (raw.repo !== undefined || raw.id !== undefined || raw.sha !== undefined) {
      throw new Invalid('ambiguous_version', 'give either "uri" or "repo"/"id"/"sha", not both');
    }
    if (typeof raw.uri !== 'string') throw new Invalid('invalid_uri', '"uri" must be a string');
    return pinnedUri(raw.uri);
  }
  for (const key of ['repo', 'id'] as const) {
    const v = raw[key];
    if (v === undefined) throw new Invalid('missing_field', `missing "${key}" (or a pinned "uri")`);
    if (typeof v !== 'string' || !isValidSegment(v) || v.length > LIMITS.shortChars) {
      throw new Invalid(invalidField(key), `"${key}" must be one name of letters, digits, ".", "_" or "-", got ${preview(v)}`);
    }
  }
  if (raw.sha === undefined) throw new Invalid('missing_field', 'missing "sha" (or a pinned "uri")');
  return { repo: raw.repo as string, id: raw.id as string, sha: shaOf(raw.sha) };
}

function shaOf(v: unknown): string {
  const sha = typeof v === 'string' ? v.toLowerCase() : '';
  if (!SHA.test(sha)) throw new Invalid('invalid_sha', `"sha" must be a full commit SHA (40 hex), got ${preview(v)}`);
  return sha;
}

/** `prompt://HOST/REPO/ID/SHA[?params]` — only a full SHA pins a version. */
function pinnedUri(uri: string): { repo: string; id: string; sha: string } {
  const m = /^prompt:\/\/[^/?#]+\/([^/?#]+)\/([^/?#]+)\/([^?#]+)(?:\?[^#]*)?$/.exec(uri);
  if (!m) throw new Invalid('invalid_uri', `"uri" must be prompt://HOST/REPO/ID/SHA, got ${preview(uri)}`);
  const [repo, id, version] = m.slice(1).map((s) => safeDecode(s));
  if (!isValidSegment(repo) || !isValidSegment(id)) throw new Invalid('invalid_uri', `"uri" has an invalid repo or id: ${preview(uri)}`);
  if (!SHA.test(version.toLowerCase())) {
    throw new Invalid('unpinned_uri', `"uri" must name a full commit SHA, not "${version}"; send the canonical URI from the resolve`);
  }
  return { repo, id, sha: version.toLowerCase() };
}

function timeOf(v: unknown, now: number, oldestAt: number): number {
  if (v === undefined) return now;
  const at = typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? Date.parse(v) : NaN;
  if (!Number.isFinite(at)) throw new Invalid('invalid_at', `"at" must be an ISO time like 2026-01-31T12:00:00Z, got ${preview(v)}`);
  if (at > now + LIMITS.futureSkewMs) throw new Invalid('at_in_future', `"at" is in the future: ${v}`);
  if (at < oldestAt) throw new Invalid('at_too_old', `"at" is older than the retention window: ${v}`);
  return at;
}

function sample(raw: Record<string, unknown>, key: 'input' | 'output', consent: boolean): string | null {
  const v = raw[key];
  if (v === undefined || v === null) return null;
  if (!consent) throw new Invalid('consent_required', `"${key}" is kept only with "consent": true; drop it or ask the user`);
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  if (text === undefined) throw new Invalid(invalidField(key), `"${key}" must be text or JSON`);
  if (text.length > LIMITS.sampleChars) {
    throw new Invalid('sample_too_large', `"${key}" has ${text.length} characters; at most ${LIMITS.sampleChars}`);
  }
  return text;
}

function metadataOf(v: unknown): Record<string, unknown> | null {
  if (v === undefined || v === null) return null;
  if (!isPlainObject(v)) throw new Invalid('invalid_metadata', '"metadata" must be a JSON object');
  const size = JSON.stringify(v).length;
  if (size > LIMITS.metadataChars) {
    throw new Invalid('metadata_too_large', `"metadata" has ${size} characters serialized; at most ${LIMITS.metadataChars}`);
  }
  return v;
}

function shortString(raw: Record<string, unknown>, key: string): string | null {
  return optional(raw, key, (v) => typeof v === 'string' && v.length <= LIMITS.shortChars, `a string of at most ${LIMITS.shortChars} characters`);
}

function optional<T>(raw: Record<string, unknown>, key: string, ok: (v: unknown) => boolean, what: string): T | null {
  const v = raw[key];
  if (v === undefined || v === null) return null;
  if (!ok(v)) throw new Invalid(invalidField(key), `"${key}" must be ${what}, got ${preview(v)}`);
  return v as T;
}

function isTokenCount(v: unknown): boolean {
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= LIMITS.tokens;
}

function isFiniteIn(v: unknown, min: number, max: number): boolean {
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new Invalid('invalid_uri', `"uri" has a broken percent-escape in "${s}"`);
  }
}

/** `invalid_latency_ms` for `latencyMs`: each field's code is in core's table. */
function invalidField(key: string): ErrorCode {
  const code = `invalid_${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
  return isErrorCode(code) ? code : 'invalid_event';
}

function preview(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Event rows as SQLite returns them, and what the store makes of them. Pure. */
import type { Observation } from './tally';
import type { ExportedEvent, StoredEvent } from './types';

export interface SeriesRow {
  sha: string;
  start: number;
  calls: number;
  success_known: number;
  successes: number;
}

export interface RawRow {
  seq: number;
  sha: string;
  release: string | null;
  labels: string;
  at: number;
  tracking_id: string | null;
  success: number | null;
  latency_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  model: string | null;
  feedback: number | null;
  metadata: string | null;
  consent: number;
  input: string | null;
  output: string | null;
}

export function exported(r: RawRow, repo: string, id: string): ExportedEvent {
  return {
    at: new Date(r.at).toISOString(),
    repo,
    id,
    sha: r.sha,
    release: r.release,
    labels: r.labels,
    trackingId: r.tracking_id,
    success: r.success === null ? null : r.success === 1,
    latencyMs: r.latency_ms,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    model: r.model,
    feedback: r.feedback,
    metadata: r.metadata,
  };
}

export function stored(r: RawRow, repo: string, id: string): StoredEvent {
  return {
    repo,
    id,
    sha: r.sha,
    at: r.at,
    release: r.release,
    labels: JSON.parse(r.labels) as string[],
    trackingId: r.tracking_id,
    success: r.success === null ? null : r.success === 1,
    latencyMs: r.latency_ms,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    model: r.model,
    feedback: r.feedback,
    metadata: r.metadata === null ? null : (JSON.parse(r.metadata) as Record<string, unknown>),
    consent: r.consent === 1,
    input: r.input,
    output: r.output,
  };
}

export function rawObservation(r: RawRow): Observation {
  return {
    at: r.at,
    success: r.success === null ? null : r.success === 1,
    latencyMs: r.latency_ms,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    feedback: r.feedback,
    release: r.release,
    labels: JSON.parse(r.labels) as string[],
  };
}

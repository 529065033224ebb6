/** Event rows as SQLite returns them, and what the store makes of them. Pure. */
import type { Observation } from './tally';
import type { ExportedEvent, Sample } from './types';

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
  experiment: string | null;
  variant: string | null;
}

/** An event as exported: its time as ISO, labels and metadata as the JSON text stored, no samples. */
export function exported(r: RawRow, repo: string, id: string): ExportedEvent {
  return {
    at: new Date(r.at).toISOString(),
    repo,
    id,
    sha: r.sha,
    release: r.release,
    labels: r.labels,
    trackingId: r.tracking_id,
    success: flag(r.success),
    latencyMs: r.latency_ms,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    model: r.model,
    feedback: r.feedback,
    metadata: r.metadata,
    experiment: r.experiment ?? null,
    variant: r.variant ?? null,
  };
}

export function rawObservation(r: RawRow): Observation {
  return {
    at: r.at,
    success: flag(r.success),
    latencyMs: r.latency_ms,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    feedback: r.feedback,
    release: r.release,
    labels: JSON.parse(r.labels) as string[],
  };
}

export function sample(r: RawRow): Sample {
  return { at: new Date(r.at).toISOString(), sha: r.sha, input: r.input, output: r.output, feedback: r.feedback, success: flag(r.success), model: r.model };
}

/** SQLite keeps booleans as 0 and 1. */
function flag(v: number | null): boolean | null {
  return v === null ? null : v === 1;
}

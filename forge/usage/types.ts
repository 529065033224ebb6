/** The public shapes of the usage store. */
import type { Rejection, UsageEvent } from './event';

/** What the prompt store knew about a version at ingest time; null = no such prompt. */
export interface VersionInfo {
  release: string | null;
  labels: string[];
}
export type VersionResolver = (repo: string, id: string, sha: string) => VersionInfo | null | Promise<VersionInfo | null>;

export interface IngestResult {
  accepted: number;
  rejected: Rejection[];
}

export interface UsageQuery {
  /** Only usage at or after this time (epoch ms). */
  since?: number;
  /** Only this version (full SHA). */
  sha?: string;
}

export interface SeriesPoint {
  /** Start of the bucket, ISO. */
  start: string;
  calls: number;
  successRate: number | null;
}
export interface Series {
  bucket: 'hour' | 'day';
  versions: { sha: string; points: SeriesPoint[] }[];
}

export interface Sample {
  at: string;
  sha: string;
  input: string | null;
  output: string | null;
  feedback: number | null;
  success: boolean | null;
  model: string | null;
}

/** One stored event as exported (CSV columns in this order). */
export interface ExportedEvent {
  at: string;
  repo: string;
  id: string;
  sha: string;
  release: string | null;
  labels: string;
  trackingId: string | null;
  success: boolean | null;
  latencyMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  model: string | null;
  feedback: number | null;
  metadata: string | null;
}

export interface UsageStoreOptions {
  /** Keep events this many days; 0 keeps them forever. Default 90. */
  retentionDays?: number;
  /** How often the retention sweep runs while open. Default one hour. */
  sweepEveryMs?: number;
  /** The clock, injectable for tests. */
  now?: () => number;
}

export type StoredEvent = UsageEvent & VersionInfo;

/** The public shapes of the usage store. */
import type { Series, SeriesPoint } from '../../core/wire';
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

export type { Series, SeriesPoint };

/** A consented sample: what went in and out of the model, with how that call went. */
export type Sample = Pick<UsageEvent, 'sha' | 'input' | 'output' | 'feedback' | 'success' | 'model'> & { at: string };

/**
 * One stored event as exported: `at` as ISO time, `labels` and `metadata` as the JSON
 * text kept; samples are never exported.
 */
export type ExportedEvent = Omit<StoredEvent, 'at' | 'labels' | 'metadata' | 'consent' | 'input' | 'output'> & {
  at: string;
  labels: string;
  metadata: string | null;
};

export interface UsageStoreOptions {
  /** Keep events this many days; 0 keeps them forever. Default 90. */
  retentionDays?: number;
  /** How often the retention sweep runs while open. Default one hour. */
  sweepEveryMs?: number;
  /** The clock, injectable for tests. */
  now?: () => number;
}

export type StoredEvent = UsageEvent & VersionInfo;

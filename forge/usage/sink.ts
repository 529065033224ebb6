/**
 * What the HTTP routes need of a usage store, whichever engine keeps it: the embedded
 * SQLite store answers at once, the Postgres one asynchronously, so every answer may
 * be a promise and exports may be async.
 */
import { UsageBatchError } from './event';
import type { VersionMetrics } from './tally';
import type { VariantTotals } from '../../core/experiments/results';
import type { ExportedEvent, IngestResult, Sample, Series, UsageQuery, VersionResolver } from './types';

type Awaitable<T> = T | Promise<T>;

export interface UsageSink {
  ingest(body: unknown, resolve?: VersionResolver): Promise<IngestResult>;
  metrics(repo: string, id: string, query?: UsageQuery): Awaitable<{ versions: VersionMetrics[] }>;
  series(repo: string, id: string, bucket: 'hour' | 'day', query?: UsageQuery): Awaitable<Series>;
  samples(repo: string, id: string, options?: { sha?: string; limit?: number }): Awaitable<Sample[]>;
  events(repo: string, id: string, query?: UsageQuery): Iterable<ExportedEvent> | AsyncIterable<ExportedEvent>;
  /** Calls per variant of an experiment, for its results and guardrails; the embedded store keeps them, Postgres does not yet. */
  experimentTotals?(experiment: string): Awaitable<Map<string, VariantTotals>>;
  /** Calls per prompt of a repo since a time, for the web console's catalog; the embedded store keeps them. */
  callsByPrompt?(repo: string, since: number): Awaitable<Record<string, number>>;
  close(): void | Promise<void>;
}

/**
 * The shared usage database cannot be reached (down, restarting, refusing connections).
 * Answered as 503 `usage_unavailable` at once, so apps keep their batches and retry;
 * prompt reads never touch it.
 */
export class UsageUnavailableError extends UsageBatchError {
  constructor(detail: string) {
    super('usage_unavailable', `the usage database cannot be reached (${detail}); usage is kept by the client and can be sent again`);
    this.name = 'UsageUnavailableError';
  }
}

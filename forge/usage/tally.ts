/**
 * Running totals for one version over some span of time: what a rollup row (an hour
 * or a day) stores, and what metrics add up across rows. Pure.
 */
import { addInto, binOf, emptyCounts, percentiles } from './histogram';
import type { StoredEvent } from './types';
import type { VersionMetrics } from '../../core/wire';

export type { VersionMetrics };

/** The part of a stored event that metrics read. */
export type Observation = Pick<StoredEvent, 'at' | 'success' | 'latencyMs' | 'inputTokens' | 'outputTokens' | 'feedback' | 'release' | 'labels'>;

/** One row of the `rollups` table, as SQLite returns it. */
export interface RollupRow {
  sha: string;
  start: number;
  calls: number;
  success_known: number;
  successes: number;
  latency_count: number;
  latency_hist: Buffer | null;
  input_tokens: number;
  output_tokens: number;
  feedback_sum: number;
  feedback_count: number;
  first_at: number;
  last_at: number;
  release: string | null;
  labels: string;
}

export class Tally {
  calls = 0;
  successKnown = 0;
  successes = 0;
  latencyCount = 0;
  inputTokens = 0;
  outputTokens = 0;
  feedbackSum = 0;
  feedbackCount = 0;
  firstAt = Infinity;
  lastAt = -Infinity;
  release: string | null = null;
  private releaseAt = -Infinity;
  readonly labels = new Set<string>();

  /** `latencies` receives each latency's bin; sparse while ingesting, dense while querying. */
  observe(o: Observation, latencies: (bin: number) => void): void {
    this.calls++;
    if (o.success !== null) {
      this.successKnown++;
      if (o.success) this.successes++;
    }
    if (o.latencyMs !== null) {
      this.latencyCount++;
      latencies(binOf(o.latencyMs));
    }
    this.inputTokens += o.inputTokens ?? 0;
    this.outputTokens += o.outputTokens ?? 0;
    if (o.feedback !== null) {
      this.feedbackSum += o.feedback;
      this.feedbackCount++;
    }
    this.span(o.at, o.at, o.release, o.labels);
  }

  addRow(row: RollupRow): void {
    this.calls += row.calls;
    this.successKnown += row.success_known;
    this.successes += row.successes;
    this.latencyCount += row.latency_count;
    this.inputTokens += row.input_tokens;
    this.outputTokens += row.output_tokens;
    this.feedbackSum += row.feedback_sum;
    this.feedbackCount += row.feedback_count;
    this.span(row.first_at, row.last_at, row.release, JSON.parse(row.labels) as string[]);
  }

  private span(first: number, last: number, release: string | null, labels: string[]): void {
    this.firstAt = Math.min(this.firstAt, first);
    this.lastAt = Math.max(this.lastAt, last);
    // The release a version carried most recently wins; labels accumulate.
    if (release !== null && last >= this.releaseAt) {
      this.release = release;
      this.releaseAt = last;
    }
    for (const label of labels) this.labels.add(label);
  }

  successRate(): number | null {
    return this.successKnown === 0 ? null : this.successes / this.successKnown;
  }

  metrics(sha: string, latencies: Float64Array): VersionMetrics {
    const [p50, p95] = percentiles(latencies, this.latencyCount, [50, 95]);
    return {
      sha,
      release: this.release,
      labels: [...this.labels].sort(),
      calls: this.calls,
      successRate: this.successRate(),
      latencyP50: p50,
      latencyP95: p95,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      feedback: this.feedbackCount === 0 ? null : this.feedbackSum / this.feedbackCount,
      firstSeen: this.calls === 0 ? null : new Date(this.firstAt).toISOString(),
      lastSeen: this.calls === 0 ? null : new Date(this.lastAt).toISOString(),
    };
  }
}

/** A tally with its dense latency counts, for summing many rows into one version. */
export class VersionTotals {
  readonly tally = new Tally();
  readonly latencies = emptyCounts();

  addRow(row: RollupRow): void {
    this.tally.addRow(row);
    addInto(row.latency_hist, this.latencies);
  }

  observe(o: Observation): void {
    this.tally.observe(o, (bin) => this.latencies[bin]++);
  }
}

/**
 * One experiment's usage per variant, read from the events that carry its key (the
 * `events_experiment` index): counts and sums in SQL, latencies as a sorted list for
 * exact percentiles and the p95 guardrail.
 */
import type { Database } from 'better-sqlite3';
import type { VariantTotals } from '../../core/experiments/results';

interface SumRow {
  variant: string;
  calls: number;
  success_known: number;
  successes: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  feedback_sum: number | null;
  feedback_count: number;
}

export function experimentQueries(db: Database) {
  const sums = db.prepare(`SELECT variant, COUNT(*) AS calls, COUNT(success) AS success_known, SUM(success) AS successes,
    SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens, SUM(feedback) AS feedback_sum, COUNT(feedback) AS feedback_count
    FROM events INDEXED BY events_experiment WHERE experiment = ? GROUP BY variant`);
  const latencies = db.prepare(`SELECT variant, latency_ms FROM events INDEXED BY events_experiment
    WHERE experiment = ? AND latency_ms IS NOT NULL`).raw();
  return {
    totals(experiment: string): Map<string, VariantTotals> {
      const out = new Map<string, VariantTotals>();
      for (const r of sums.all(experiment) as SumRow[]) {
        out.set(r.variant, {
          calls: r.calls,
          successKnown: r.success_known,
          successes: r.successes ?? 0,
          latencies: [],
          inputTokens: r.input_tokens ?? 0,
          outputTokens: r.output_tokens ?? 0,
          feedbackSum: r.feedback_sum ?? 0,
          feedbackCount: r.feedback_count,
        });
      }
      for (const [variant, ms] of latencies.all(experiment) as [string, number][]) out.get(variant)?.latencies.push(ms);
      for (const t of out.values()) t.latencies.sort((a, b) => a - b);
      return out;
    },
  };
}

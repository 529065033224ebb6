/**
 * From per-variant usage totals to what the results view shows and what the guardrail
 * monitor decides on (DESIGN §7). Pure: the forge gathers the totals.
 */
import { CONTROL, type Experiment, type Guardrail } from './definition';
import { chanceToBeat, latencyRiseProbability, liftInterval, quantile, srmPValue, successDropProbability, SRM_THRESHOLD } from './stats';

/** Usage of one variation of one experiment. `latencies` sorted ascending. */
export interface VariantTotals {
  calls: number;
  successKnown: number;
  successes: number;
  latencies: number[];
  inputTokens: number;
  outputTokens: number;
  feedbackSum: number;
  feedbackCount: number;
}

export const EMPTY_TOTALS: VariantTotals = Object.freeze({ calls: 0, successKnown: 0, successes: 0, latencies: [], inputTokens: 0, outputTokens: 0, feedbackSum: 0, feedbackCount: 0 }) as VariantTotals;

/** Harm probability at or above which a guardrail counts as breached. */
export const BREACH_PROBABILITY = 0.95;

export interface GuardrailCheck {
  variant: string;
  metric: Guardrail['metric'];
  /** The tolerated change: points of success rate, or relative p95 rise. */
  limit: number;
  /** Posterior probability that the variant is worse than the limit allows. */
  probability: number;
  /** Both arms have `minCalls`, and the probability is ≥ 95%. */
  breached: boolean;
  control: number | null;
  observed: number | null;
  calls: number;
}

export interface VariantResult {
  name: string;
  sha: string;
  weight: number;
  calls: number;
  successRate: number | null;
  latencyP50: number | null;
  latencyP95: number | null;
  feedback: number | null;
  inputTokens: number;
  outputTokens: number;
  /** P(success rate beats the control's); null for the control. */
  chanceToBeatControl: number | null;
  /** Relative lift of the success rate over the control's with its 95% interval. */
  lift: { lift: number; low: number; high: number } | null;
}

export interface ExperimentResults {
  variants: VariantResult[];
  srm: { pValue: number; mismatch: boolean; threshold: number };
  guardrails: GuardrailCheck[];
}

export function experimentResults(e: Pick<Experiment, 'variants' | 'control' | 'guardrails' | 'minCalls'>, totals: Map<string, VariantTotals>): ExperimentResults {
  const control = totals.get(CONTROL) ?? EMPTY_TOTALS;
  const controlWeight = 1 - e.variants.reduce((s, v) => s + v.weight, 0);
  const arms = [{ name: CONTROL, sha: e.control, weight: controlWeight }, ...e.variants.map(({ name, sha, weight }) => ({ name, sha, weight }))];
  const variants = arms.map((arm): VariantResult => {
    const t = totals.get(arm.name) ?? EMPTY_TOTALS;
    const isControl = arm.name === CONTROL;
    return {
      ...arm,
      calls: t.calls,
      successRate: t.successKnown === 0 ? null : t.successes / t.successKnown,
      latencyP50: quantile(t.latencies, 0.5),
      latencyP95: quantile(t.latencies, 0.95),
      feedback: t.feedbackCount === 0 ? null : t.feedbackSum / t.feedbackCount,
      inputTokens: t.inputTokens,
      outputTokens: t.outputTokens,
      chanceToBeatControl: isControl ? null : chanceToBeat(rate(control), rate(t)),
      lift: isControl ? null : liftInterval(rate(control), rate(t)),
    };
  });
  const pValue = srmPValue(
    variants.map((v) => v.calls),
    arms.map((a) => a.weight),
  );
  return { variants, srm: { pValue, mismatch: pValue < SRM_THRESHOLD, threshold: SRM_THRESHOLD }, guardrails: checkGuardrails(e, totals) };
}

/** Every guardrail of every variant, evaluated against the control. */
export function checkGuardrails(e: Pick<Experiment, 'variants' | 'guardrails' | 'minCalls'>, totals: Map<string, VariantTotals>): GuardrailCheck[] {
  const control = totals.get(CONTROL) ?? EMPTY_TOTALS;
  const out: GuardrailCheck[] = [];
  for (const v of e.variants) {
    const t = totals.get(v.name) ?? EMPTY_TOTALS;
    for (const g of e.guardrails) {
      if (g.metric === 'successRate') {
        const enough = control.successKnown >= e.minCalls && t.successKnown >= e.minCalls;
        const probability = t.successKnown === 0 || control.successKnown === 0 ? 0 : successDropProbability(rate(control), rate(t), g.maxDrop);
        out.push({
          variant: v.name,
          metric: g.metric,
          limit: g.maxDrop,
          probability,
          breached: enough && probability >= BREACH_PROBABILITY,
          control: control.successKnown === 0 ? null : control.successes / control.successKnown,
          observed: t.successKnown === 0 ? null : t.successes / t.successKnown,
          calls: t.successKnown,
        });
      } else {
        const controlP95 = quantile(control.latencies, 0.95);
        const enough = control.latencies.length >= e.minCalls && t.latencies.length >= e.minCalls;
        const threshold = controlP95 === null ? null : controlP95 * (1 + g.maxRise);
        const slower = threshold === null ? 0 : t.latencies.length - upperBound(t.latencies, threshold);
        const probability = threshold === null ? 0 : latencyRiseProbability(t.latencies.length, slower);
        out.push({
          variant: v.name,
          metric: g.metric,
          limit: g.maxRise,
          probability,
          breached: enough && probability >= BREACH_PROBABILITY,
          control: controlP95,
          observed: quantile(t.latencies, 0.95),
          calls: t.latencies.length,
        });
      }
    }
  }
  return out;
}

function rate(t: VariantTotals): { successes: number; trials: number } {
  return { successes: t.successes, trials: t.successKnown };
}

/** Index of the first value above `x` in ascending `sorted`. */
function upperBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One line for the history: which guardrail, by how much, on how many calls. */
export function describeBreach(c: GuardrailCheck): string {
  const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
  const ms = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x)} ms`);
  return c.metric === 'successRate'
    ? `guardrail successRate (max drop ${(c.limit * 100).toFixed(1)} points) breached by "${c.variant}": success ${pct(c.observed)} vs control ${pct(c.control)} over ${c.calls} calls, P(harm) = ${c.probability.toFixed(4)}`
    : `guardrail latencyP95 (max rise ${(c.limit * 100).toFixed(0)}%) breached by "${c.variant}": p95 ${ms(c.observed)} vs control ${ms(c.control)} over ${c.calls} calls, P(harm) = ${c.probability.toFixed(4)}`;
}

/**
 * The statistics of experiment results (DESIGN §7), pure and dependency-free:
 * Bayesian chance to beat the control on success rate (Beta(1,1) priors, so each
 * variant's rate has the posterior Beta(1 + successes, 1 + failures)), the 95%
 * interval of the relative lift, the chi-square sample-ratio-mismatch test, and the
 * probability that a guardrail is breached.
 */

export interface Rate {
  successes: number;
  /** Calls whose success is known. */
  trials: number;
}

const Z95 = 1.959963984540054;
/** Exact chance-to-beat sums one term per success of the variant; beyond this the normal approximation is as good. */
const EXACT_TERMS = 20_000;

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; ~15 significant digits). */
export function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** Standard normal CDF. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Complementary error function, |error| < 1.2e-7 (Numerical Recipes' erfcc, Chebyshev). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

function posterior(r: Rate): { a: number; b: number; mean: number; variance: number } {
  const a = 1 + r.successes;
  const b = 1 + (r.trials - r.successes);
  const n = a + b;
  return { a, b, mean: a / n, variance: (a * b) / (n * n * (n + 1)) };
}

/**
 * P(rate of `variant` > rate of `control`) under the Beta posteriors. Exact (Evan
 * Miller's closed form, a sum over the variant's successes) while that sum is short,
 * else the normal approximation of the difference.
 */
export function chanceToBeat(control: Rate, variant: Rate): number {
  const A = posterior(control);
  const B = posterior(variant);
  if (B.a <= EXACT_TERMS) {
    let total = 0;
    const base = logBeta(A.a, A.b);
    for (let i = 0; i < B.a; i++) total += Math.exp(logBeta(A.a + i, A.b + B.b) - Math.log(B.b + i) - logBeta(1 + i, B.b) - base);
    return clamp01(total);
  }
  return normalCdf((B.mean - A.mean) / Math.sqrt(A.variance + B.variance));
}

/**
 * The relative lift of the variant's rate over the control's, pB / pA − 1, with its 95%
 * interval. The interval is taken on the log of the ratio (delta method: var ≈ vB/mB² +
 * vA/mA²), which keeps it asymmetric like the true posterior of a ratio; a symmetric
 * interval on the ratio itself is off by several points on a few hundred calls. Null
 * until both arms have calls.
 */
export function liftInterval(control: Rate, variant: Rate): { lift: number; low: number; high: number } | null {
  if (control.trials === 0 || variant.trials === 0) return null;
  const A = posterior(control);
  const B = posterior(variant);
  const log = Math.log(B.mean / A.mean);
  const se = Math.sqrt(B.variance / B.mean ** 2 + A.variance / A.mean ** 2);
  return { lift: B.mean / A.mean - 1, low: Math.exp(log - Z95 * se) - 1, high: Math.exp(log + Z95 * se) - 1 };
}

/** Regularized upper incomplete gamma Q(s, x) (series below s + 1, continued fraction above). */
export function gammaQ(s: number, x: number): number {
  if (x <= 0) return 1;
  const lead = -x + s * Math.log(x) - logGamma(s);
  if (x < s + 1) {
    let sum = 1 / s;
    let term = sum;
    for (let n = 1; n < 1000; n++) {
      term *= x / (s + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return clamp01(1 - sum * Math.exp(lead));
  }
  // Lentz's continued fraction
  const tiny = 1e-300;
  let b = x + 1 - s;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - s);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return clamp01(Math.exp(lead) * h);
}

export const SRM_THRESHOLD = 0.001;

/**
 * Sample-ratio mismatch: the chi-square goodness-of-fit p-value of the observed unit
 * (or call) counts against the configured weights; below 0.001 the split is broken
 * (a bug in assignment or in who reports usage), and results should not be trusted.
 */
export function srmPValue(observed: readonly number[], weights: readonly number[]): number {
  const n = observed.reduce((s, o) => s + o, 0);
  const w = weights.reduce((s, x) => s + x, 0);
  if (n === 0 || observed.length < 2) return 1;
  let chi = 0;
  for (let i = 0; i < observed.length; i++) {
    const expected = (n * weights[i]) / w;
    if (expected > 0) chi += (observed[i] - expected) ** 2 / expected;
  }
  return gammaQ((observed.length - 1) / 2, chi / 2);
}

/** P(pB < pA − maxDrop): the variant's success rate fell more than `maxDrop` below the control's. */
export function successDropProbability(control: Rate, variant: Rate, maxDrop: number): number {
  const A = posterior(control);
  const B = posterior(variant);
  return normalCdf((A.mean - maxDrop - B.mean) / Math.sqrt(A.variance + B.variance));
}

/**
 * P(the variant's p95 latency is above `threshold`, the control's p95 × (1 + maxRise)):
 * the same as more than 5% of the variant's calls being slower than the threshold, so
 * it is the posterior probability that a Beta(1 + slower, 1 + rest) share exceeds 0.05.
 */
export function latencyRiseProbability(variantCalls: number, slowerThanThreshold: number): number {
  if (variantCalls === 0) return 0;
  const P = posterior({ successes: slowerThanThreshold, trials: variantCalls });
  return normalCdf((P.mean - 0.05) / Math.sqrt(P.variance));
}

/** The q-quantile of sorted values (nearest rank), or null when there are none. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

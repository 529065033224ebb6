import { strict as assert } from 'node:assert';
import { chanceToBeat, experimentResults, gammaQ, liftInterval, srmPValue, successDropProbability, checkGuardrails, type VariantTotals } from '../../core/experiments';

const close = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual}, expected ${expected} ± ${tol}`);

/** Beta(a, b) density on a grid, integrated independently of the closed form under test. */
function numericChanceToBeat(sA: number, nA: number, sB: number, nB: number): number {
  const steps = 20_000;
  const density = (a: number, b: number) => {
    const ys = new Float64Array(steps + 1);
    const logs = Array.from({ length: steps + 1 }, (_, i) => (i === 0 || i === steps ? -Infinity : (a - 1) * Math.log(i / steps) + (b - 1) * Math.log(1 - i / steps)));
    const top = Math.max(...logs);
    let sum = 0;
    for (let i = 0; i <= steps; i++) sum += ys[i] = Math.exp(logs[i] - top);
    for (let i = 0; i <= steps; i++) ys[i] /= sum;
    return ys;
  };
  const fA = density(1 + sA, 1 + nA - sA);
  const fB = density(1 + sB, 1 + nB - sB);
  // P(B > A) = Σ_x fA(x) · P(B > x)
  let tailB = 1;
  let p = 0;
  for (let i = 0; i <= steps; i++) {
    tailB -= fB[i] / 2;
    p += fA[i] * tailB;
    tailB -= fB[i] / 2;
  }
  return p;
}

describe('experiment statistics', () => {
  it('chance to beat: Beta(1,1) against Beta(2,1) is exactly 2/3', () => {
    // control with no data, variant one success: ∫∫_{b>a} 2b da db = 2/3
    close(chanceToBeat({ successes: 0, trials: 0 }, { successes: 1, trials: 1 }), 2 / 3, 1e-12, 'P');
    close(chanceToBeat({ successes: 3, trials: 7 }, { successes: 3, trials: 7 }), 0.5, 1e-9, 'equal arms');
  });

  it('chance to beat agrees with numerical integration and with a Monte Carlo reference', () => {
    // Monte Carlo references: Python random.betavariate, 400,000 draws, seed 7
    // (120/200 vs 100/200 → 0.0231; 50/100 vs 60/100 → 0.9219).
    for (const [sA, nA, sB, nB, mc] of [
      [120, 200, 100, 200, 0.0231],
      [50, 100, 60, 100, 0.9219],
      [9, 40, 14, 40, undefined],
    ] as const) {
      const p = chanceToBeat({ successes: sA, trials: nA }, { successes: sB, trials: nB });
      close(p, numericChanceToBeat(sA, nA, sB, nB), 1e-4, `${sA}/${nA} vs ${sB}/${nB} vs integration`);
      if (mc !== undefined) close(p, mc, 0.002, `${sA}/${nA} vs ${sB}/${nB} vs Monte Carlo`);
    }
  });

  it('chance to beat switches to the normal approximation on large counts without a jump', () => {
    const exact = chanceToBeat({ successes: 9_000, trials: 10_000 }, { successes: 9_050, trials: 10_000 });
    const approx = chanceToBeat({ successes: 90_000, trials: 100_000 }, { successes: 90_500, trials: 100_000 });
    close(exact, numericChanceToBeat(9000, 10000, 9050, 10000), 2e-3, 'exact');
    assert.ok(approx > 0.99 && approx < 1, `approx ${approx}`);
  });

  it('lift interval matches the Monte Carlo 2.5% and 97.5% quantiles of pB/pA − 1', () => {
    // Python, 400,000 draws of Beta posteriors, seed 7:
    //   120/200 vs 100/200 → [-0.3036, -0.0031];  50/100 vs 60/100 → [-0.0670, 0.5498];
    //   900/1000 vs 820/1000 → [-0.1211, -0.0559]
    for (const [sA, nA, sB, nB, low, high, tol] of [
      [120, 200, 100, 200, -0.3036, -0.0031, 0.005],
      [50, 100, 60, 100, -0.067, 0.5498, 0.015],
      [900, 1000, 820, 1000, -0.1211, -0.0559, 0.002],
    ] as const) {
      const lift = liftInterval({ successes: sA, trials: nA }, { successes: sB, trials: nB })!;
      close(lift.low, low, tol, `${sA}/${nA} vs ${sB}/${nB} low`);
      close(lift.high, high, tol, `${sA}/${nA} vs ${sB}/${nB} high`);
      close(lift.lift, (1 + sB) / (2 + nB) / ((1 + sA) / (2 + nA)) - 1, 1e-12, 'point');
    }
    assert.equal(liftInterval({ successes: 0, trials: 0 }, { successes: 1, trials: 2 }), null);
  });

  it('SRM p-value is the chi-square tail: 5100/4900 on 50/50 → erfc(√2) = 0.0455003', () => {
    // χ² = 2·100²/5000 = 4 with 1 degree of freedom: p = erfc(√(4/2)).
    close(srmPValue([5100, 4900], [0.5, 0.5]), 0.045500263896358396, 1e-9, 'p');
    // 3 arms, χ² = 20 with 2 degrees of freedom: p = e^(−10)
    close(srmPValue([1000, 1100, 900], [1, 1, 1]), 4.5399929762484854e-5, 1e-12, 'p3');
    // 90/10 weights, observed exactly on target
    close(srmPValue([9000, 1000], [0.9, 0.1]), 1, 1e-12, 'exact split');
    close(gammaQ(0.5, 3.841458820694124 / 2), 0.05, 1e-9, 'the 95% critical value of χ²(1)');
  });

  it('success-rate harm probability matches the Monte Carlo share of pB < pA − 0.05', () => {
    // Python, 400,000 draws, seed 7: 120/200 vs 100/200 → 0.8398; 900/1000 vs 820/1000 → 0.9735
    close(successDropProbability({ successes: 120, trials: 200 }, { successes: 100, trials: 200 }, 0.05), 0.8398, 0.01, 'small');
    close(successDropProbability({ successes: 900, trials: 1000 }, { successes: 820, trials: 1000 }, 0.05), 0.9735, 0.005, 'large');
  });

  it('breaches a guardrail only with minCalls in both arms and ≥ 95% probability of harm', () => {
    const tot = (calls: number, successes: number, latency = 100): VariantTotals => ({
      calls, successKnown: calls, successes, latencies: Array.from({ length: calls }, () => latency), inputTokens: 0, outputTokens: 0, feedbackSum: 0, feedbackCount: 0,
    });
    const e = { variants: [{ name: 'v1', version: 'HEAD', sha: 'b'.repeat(40), weight: 0.1 }], guardrails: [{ metric: 'successRate' as const, maxDrop: 0.05 }], minCalls: 500 };
    const bad = new Map([['control', tot(1000, 900)], ['v1', tot(1000, 820)]]);
    assert.equal(checkGuardrails(e, bad)[0].breached, true);
    assert.equal(checkGuardrails({ ...e, minCalls: 2000 }, bad)[0].breached, false, 'too few calls');
    assert.equal(checkGuardrails(e, new Map([['control', tot(1000, 900)], ['v1', tot(1000, 880)]]))[0].breached, false, 'within the limit');
    const slow = new Map([['control', tot(1000, 900, 100)], ['v1', tot(1000, 900, 200)]]);
    const latency = checkGuardrails({ ...e, guardrails: [{ metric: 'latencyP95', maxRise: 0.2 }] }, slow)[0];
    assert.equal(latency.breached, true);
    assert.equal(latency.control, 100);
    assert.equal(latency.observed, 200);
  });

  it('results list the control first with rates, percentiles, chance to beat and SRM', () => {
    const t = (calls: number, successes: number, latencies: number[]): VariantTotals => ({
      calls, successKnown: calls, successes, latencies, inputTokens: calls * 10, outputTokens: calls * 5, feedbackSum: calls * 0.5, feedbackCount: calls,
    });
    const r = experimentResults(
      { control: 'a'.repeat(40), variants: [{ name: 'v1', version: 'HEAD', sha: 'b'.repeat(40), weight: 0.1 }], guardrails: [], minCalls: 10 },
      new Map([['control', t(5100, 4080, [10, 20, 30, 40])], ['v1', t(400, 360, [50])]]),
    );
    assert.deepEqual(r.variants.map((v) => v.name), ['control', 'v1']);
    close(r.variants[0].weight, 0.9, 1e-12, 'control weight');
    assert.equal(r.variants[0].latencyP50, 20);
    assert.equal(r.variants[0].latencyP95, 40);
    assert.equal(r.variants[1].successRate, 0.9);
    assert.ok(r.variants[1].chanceToBeatControl! > 0.99);
    assert.equal(r.variants[0].feedback, 0.5);
    // 5100/400 on 90/10: expected 4950/550, χ² = 150²/4950 + 150²/550 ≈ 45.45 → flagged
    assert.equal(r.srm.mismatch, true);
    assert.ok(r.srm.pValue < 1e-9);
  });
});

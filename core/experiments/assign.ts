/**
 * Sticky variant assignment, exactly GrowthBook's v2 scheme (DESIGN §7), so that any
 * GrowthBook SDK given the same seed, weights and coverage puts a unit where we do:
 *   n = fnv1a32(String(fnv1a32(seed + unit))) % 10000 / 10000
 * and the unit gets the variation whose range `[start, start + coverage·weight)` holds n,
 * where `start` is the sum of the weights before it. Coverage shrinks every range from
 * its fixed start, so raising it only adds units: no enrolled unit moves.
 */

/** FNV-1a, 32 bits, over UTF-16 code units (as GrowthBook's JS SDK hashes). */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h += (h << 1) + (h << 4) + (h << 7) + (h << 8) + (h << 24);
  }
  return h >>> 0;
}

/** GrowthBook's hash version 2: a number in [0, 1) with four decimals. */
export function hashV2(seed: string, unit: string): number {
  return (fnv1a32(String(fnv1a32(seed + unit))) % 10000) / 10000;
}

export type BucketRange = readonly [start: number, end: number];

/**
 * Ranges of the variations (control first) for `weights` summing to 1 and `coverage`
 * in [0, 1]. Inputs are checked by `validateExperiment`, not repaired here.
 */
export function bucketRanges(weights: readonly number[], coverage: number): BucketRange[] {
  let cumulative = 0;
  return weights.map((w) => {
    const start = cumulative;
    cumulative += w;
    return [start, start + coverage * w] as const;
  });
}

/** Index of the range holding `n`, or -1 when none does (the unit is not enrolled). */
export function chooseVariation(n: number, ranges: readonly BucketRange[]): number {
  for (let i = 0; i < ranges.length; i++) if (n >= ranges[i][0] && n < ranges[i][1]) return i;
  return -1;
}

/** What assignment needs of a running experiment; ranges computed once per definition. */
export interface Assigner {
  seed: string;
  ranges: BucketRange[];
}

/** Weights of a definition's variations, control first: the control takes what the variants leave. */
export function variationWeights(variantWeights: readonly number[]): number[] {
  const rest = 1 - variantWeights.reduce((sum, w) => sum + w, 0);
  return [Math.max(0, roundWeight(rest)), ...variantWeights];
}

/** 0.1 + 0.2 leaves 0.7000000000000001 for the control: weights are kept to 1e-9. */
function roundWeight(w: number): number {
  return Math.round(w * 1e9) / 1e9;
}

export function assigner(seed: string, variantWeights: readonly number[], coverage: number): Assigner {
  return { seed, ranges: bucketRanges(variationWeights(variantWeights), coverage) };
}

/**
 * The variation of `unit`: 0 = the control (enrolled), i ≥ 1 = the i-th variant,
 * -1 = outside the experiment (served the control, not counted in its results).
 */
export function assign(a: Assigner, unit: string): number {
  return chooseVariation(hashV2(a.seed, unit), a.ranges);
}

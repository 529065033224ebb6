/**
 * Sticky variant assignment, exactly GrowthBook's v2 scheme (DESIGN §7), so that any
 * GrowthBook SDK given the same seed, weights and coverage puts a unit where we do:
 *   n = fnv1a32(String(fnv1a32(seed + unit))) % 10000 / 10000
 * and the unit gets the variation whose range `[start, start + coverage·weight)` holds n,
 * where `start` is the sum of the weights before it. Coverage shrinks every range from
 * its fixed start, so raising it only adds units: no enrolled unit moves.
 */

/**
 * FNV-1a, 32 bits, over UTF-16 code units (as GrowthBook's JS SDK hashes). GrowthBook
 * multiplies by the FNV prime 16777619 = 2^24 + 2^8 + 2^7 + 2^4 + 2^1 + 1 with shifts
 * and adds; Math.imul gives the same product mod 2^32 without leaving int32 arithmetic.
 */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
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

/** What assignment needs of a running experiment; computed once per definition. */
export interface Assigner {
  seed: string;
  /** FNV-1a state after the seed's characters: hashing seed + unit continues from here. */
  seedState: number;
  ranges: BucketRange[];
}

/** FNV-1a continued from `state` over `text`, as int32. */
function fnvFrom(state: number, text: string): number {
  let h = state;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h;
}

/**
 * `hashV2(seed, unit)` without building strings: the seed's state is kept, and the
 * decimal digits of the inner hash are fed to the outer one directly. Same result
 * (a test checks it against `hashV2` on arbitrary strings); no allocation on the hot path.
 */
export function hashUnit(a: Assigner, unit: string): number {
  let inner = fnvFrom(a.seedState, unit) >>> 0;
  let h = 0x811c9dc5 | 0;
  let scale = 1;
  while (scale * 10 <= inner) scale *= 10;
  for (; scale >= 1; scale /= 10) {
    const digit = Math.floor(inner / scale);
    inner -= digit * scale;
    h = Math.imul(h ^ (48 + digit), 16777619);
  }
  return ((h >>> 0) % 10000) / 10000;
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
  return { seed, seedState: fnvFrom(0x811c9dc5 | 0, seed), ranges: bucketRanges(variationWeights(variantWeights), coverage) };
}

/**
 * The variation of `unit`: 0 = the control (enrolled), i ≥ 1 = the i-th variant,
 * -1 = outside the experiment (served the control, not counted in its results).
 */
export function assign(a: Assigner, unit: string): number {
  return chooseVariation(hashUnit(a, unit), a.ranges);
}

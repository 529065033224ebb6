/**
 * Experiment variant assignment (DESIGN §7): GrowthBook's v2 hash, so a unit gets the
 * same variant in every SDK (the Python client implements the same rule and both are
 * checked against test/vectors/assignment.json) and on every replica, with no network.
 */

/** FNV-1a, 32 bits, over UTF-16 code units (as GrowthBook's JavaScript SDK hashes). */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** GrowthBook hash v2: a number in [0, 1) with 4 decimals, sticky for (seed, unit). */
export function hashV2(seed: string, unit: string): number {
  return (fnv1a32(String(fnv1a32(seed + unit))) % 10000) / 10000;
}

export interface VariantWeight {
  version: string;
  /** Share of all units (0–1); the control keeps whatever the variants leave. */
  weight: number;
}

export interface ExperimentDefinition {
  variants: VariantWeight[];
  /** Share of units enrolled at all (0–1). */
  coverage: number;
  seed: string;
}

/**
 * Cumulative ranges `[start, start + coverage·weight)`: `start` does not depend on
 * coverage, so raising it keeps enrolled units in their variant.
 */
export function bucketRanges(definition: Pick<ExperimentDefinition, 'variants' | 'coverage'>): [number, number][] {
  const coverage = Math.min(1, Math.max(0, Number.isFinite(definition.coverage) ? definition.coverage : 0));
  let start = 0;
  return definition.variants.map(({ weight }) => {
    const w = Number.isFinite(weight) && weight > 0 ? weight : 0;
    const range: [number, number] = [start, start + coverage * w];
    start += w;
    return range;
  });
}

/** The index of the unit's variant, or -1 for the control (outside every range). */
export function assignVariant(definition: ExperimentDefinition, unit: string): number {
  const n = hashV2(definition.seed, unit);
  const ranges = bucketRanges(definition);
  for (let i = 0; i < ranges.length; i++) if (n >= ranges[i][0] && n < ranges[i][1]) return i;
  return -1;
}

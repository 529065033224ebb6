/**
 * "Did you mean": names close to what was written. One rule for every layer: the forge's
 * and the SDK's "no such version" errors and the editor's unknown prompt and param
 * diagnostics and quick fixes all ask here.
 */

/** Names close to `wanted`: names it starts (a half-typed name) or a small edit distance away, closest first. */
export function suggest(wanted: string, names: string[], limit = 5): string[] {
  const lower = wanted.toLowerCase();
  const budget = Math.max(1, Math.floor(wanted.length / 3));
  const scored: [string, number][] = [];
  for (const name of new Set(names)) {
    const other = name.toLowerCase();
    const score = lower.length >= 2 && other.startsWith(lower) ? 0 : editDistance(lower, other, budget);
    if (score <= budget) scored.push([name, score]);
  }
  return scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, limit).map(([name]) => name);
}

/** Edit distance counting a swap of neighbours as one edit; gives up (limit + 1) once it must exceed `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      let cost = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cost = Math.min(cost, before[j - 2] + 1);
      current[j] = cost;
      best = Math.min(best, cost);
    }
    if (best > limit) return limit + 1;
    [before, previous] = [previous, current];
  }
  return previous[b.length];
}

/** The single closest name, if any is close enough (quick fixes offer one). */
export function closest(wanted: string, names: Iterable<string>): string | undefined {
  return suggest(wanted, [...names], 1)[0];
}

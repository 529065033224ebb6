/**
 * How usage metrics read in the editor (hover, tree, Render & Test): the same words and
 * rounding everywhere, so a number in the tree matches the one in the hover and in the
 * web console, which shares it (core, since the console may import nothing else).
 */

/** The part of a version's metrics that these texts use. */
export interface CallCounts {
  calls: number;
  successRate: number | null;
}

/** `1,204 calls · 97% success` */
export function describeUsage(usage: CallCounts): string {
  const calls = `${usage.calls.toLocaleString('en-US')} call${usage.calls === 1 ? '' : 's'}`;
  return usage.successRate === null ? calls : `${calls} · ${percent(usage.successRate)} success`;
}

/** `97%`; `99.5%` near the top, where a point matters. */
export function percent(rate: number): string {
  const value = rate * 100;
  return `${value >= 99 && value < 100 ? value.toFixed(1) : Math.round(value)}%`;
}

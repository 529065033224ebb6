/**
 * The side-by-side table of Render & Test and the web console: two versions' metrics, row by row, with how
 * the second differs from the first and whether that is better or worse. Pure.
 */
import { percent } from '../usageText';
import type { VersionUsage } from './types';

export type Tone = 'better' | 'worse' | 'same';

export interface ComparisonRow {
  metric: string;
  /** Formatted values; `—` when the version has no such number. */
  a: string;
  b: string;
  /** The second version against the first, e.g. `+2.5 pts`, `−120 ms`; absent when either side has no number. */
  delta?: string;
  tone?: Tone;
}

interface Metric {
  name: string;
  value(v: VersionUsage): number | null;
  format(n: number): string;
  /** How a difference reads: `+2.5 pts`. */
  difference(d: number): string;
  /** Which direction is an improvement; none for counts and times. */
  better?: 'higher' | 'lower';
}

const signed = (n: number, text: string) => `${n > 0 ? '+' : n < 0 ? '−' : '±'}${text}`;
const whole = (n: number) => Math.round(n).toLocaleString('en-US');
const perCall = (total: (v: VersionUsage) => number) => (v: VersionUsage) => (v.calls > 0 ? total(v) / v.calls : null);

const metrics: Metric[] = [
  { name: 'Calls', value: (v) => v.calls, format: whole, difference: (d) => signed(d, whole(Math.abs(d))) },
  {
    name: 'Success rate',
    value: (v) => v.successRate,
    format: percent,
    difference: (d) => signed(d, `${(Math.abs(d) * 100).toFixed(1)} pts`),
    better: 'higher',
  },
  { name: 'Latency p50', value: (v) => v.latencyP50, format: (n) => `${whole(n)} ms`, difference: (d) => signed(d, `${whole(Math.abs(d))} ms`), better: 'lower' },
  { name: 'Latency p95', value: (v) => v.latencyP95, format: (n) => `${whole(n)} ms`, difference: (d) => signed(d, `${whole(Math.abs(d))} ms`), better: 'lower' },
  { name: 'Input tokens / call', value: perCall((v) => v.inputTokens), format: whole, difference: (d) => signed(d, whole(Math.abs(d))), better: 'lower' },
  { name: 'Output tokens / call', value: perCall((v) => v.outputTokens), format: whole, difference: (d) => signed(d, whole(Math.abs(d))) },
  { name: 'Feedback (−1…1)', value: (v) => v.feedback, format: (n) => signed(n, Math.abs(n).toFixed(2)).replace('±', ''), difference: (d) => signed(d, Math.abs(d).toFixed(2)), better: 'higher' },
];

/** Rows for versions `a` and `b`; a version never used has no metrics (`undefined`). */
export function compareVersions(a: VersionUsage | undefined, b: VersionUsage | undefined): ComparisonRow[] {
  const rows: ComparisonRow[] = metrics.map((m) => {
    const x = a ? m.value(a) : null;
    const y = b ? m.value(b) : null;
    const row: ComparisonRow = { metric: m.name, a: x === null ? '—' : m.format(x), b: y === null ? '—' : m.format(y) };
    if (x === null || y === null) return row;
    // Compare what is shown: 97.04% and 97.01% both read 97%, so they are the same.
    const d = m.format(y) === m.format(x) ? 0 : y - x;
    row.delta = m.difference(d);
    if (m.better) row.tone = d === 0 ? 'same' : (d > 0) === (m.better === 'higher') ? 'better' : 'worse';
    return row;
  });
  rows.push({ metric: 'Last used', a: day(a?.lastSeen), b: day(b?.lastSeen) });
  return rows;
}

/** `2026-03-04 17:59` (UTC), or `—`. */
function day(iso: string | null | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '—';
}

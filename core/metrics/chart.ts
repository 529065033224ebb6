/**
 * The usage chart (Render & Test in the editor, the web console): calls (top) and success rate (bottom) by version over a
 * fixed window of hours or days, as SVG markup. Pure; colours come from the panel's CSS
 * classes (`series-N`), which map to the theme's chart colours.
 */
import { percent } from '../usageText';
import type { UsageSeries } from './types';

export interface ChartOptions {
  /** The window ends with the bucket holding this time. */
  now: Date;
  /** Buckets in the window: e.g. 30 days or 48 hours. */
  buckets: number;
  /** How a version is named in the legend and tooltips (a release, a label, a short SHA). */
  name: (sha: string) => string;
  /** Versions always drawn when they have usage (those shown in the panel). */
  highlight?: string[];
  /** The most versions drawn; the rest are the least used. Default 5. */
  maxVersions?: number;
}

export interface Chart {
  svg: string;
  /** Drawn versions in colour order; `series` is the N of the `series-N` class. */
  legend: { sha: string; name: string; calls: number; series: number }[];
}

const width = 600;
const left = 44;
const right = 8;
const calls = { top: 8, bottom: 92 };
const success = { top: 112, bottom: 168 };
const height = 190;

const stepMs = { hour: 3_600_000, day: 86_400_000 };

export function usageChart(series: UsageSeries, options: ChartOptions): Chart {
  const step = stepMs[series.bucket];
  const end = Math.floor(options.now.getTime() / step) * step;
  const start = end - (options.buckets - 1) * step;
  const slot = (iso: string) => Math.round((Date.parse(iso) - start) / step);

  const drawn = pickVersions(series, options, slot);
  const count = options.buckets;
  const x = (i: number) => left + (count === 1 ? (width - left - right) / 2 : (i * (width - left - right)) / (count - 1));
  const peak = niceCeiling(Math.max(1, ...drawn.flatMap((v) => v.slots.map((s) => s?.calls ?? 0))));
  const yCalls = (n: number) => calls.bottom - (n / peak) * (calls.bottom - calls.top);
  const ySuccess = (r: number) => success.bottom - r * (success.bottom - success.top);
  const when = (i: number) => label(new Date(start + i * step), series.bucket);

  const parts: string[] = [];
  // Grid and axes: calls 0 / peak, success 0% / 100%, and three dates.
  for (const [y, text] of [
    [yCalls(peak), peak.toLocaleString('en-US')],
    [yCalls(0), '0'],
    [ySuccess(1), '100%'],
    [ySuccess(0), '0%'],
  ] as const) {
    parts.push(`<line class="grid" x1="${left}" x2="${width - right}" y1="${y}" y2="${y}"/>`);
    parts.push(`<text class="axis" x="${left - 6}" y="${y + 4}" text-anchor="end">${text}</text>`);
  }
  parts.push(`<text class="axis title" x="${left}" y="${calls.top - 1}">calls</text>`);
  parts.push(`<text class="axis title" x="${left}" y="${success.top - 1}">success</text>`);
  for (const i of [...new Set([0, Math.floor((count - 1) / 2), count - 1])]) {
    const anchor = i === 0 ? 'start' : i === count - 1 ? 'end' : 'middle';
    parts.push(`<text class="axis" x="${x(i)}" y="${height - 4}" text-anchor="${anchor}">${escape(when(i))}</text>`);
  }

  drawn.forEach((version, n) => {
    const cls = `series-${n}`;
    // Calls: zero where the version was not used, so the line shows the gaps.
    const line = version.slots.map((s, i) => `${x(i)},${yCalls(s?.calls ?? 0)}`).join(' ');
    parts.push(`<polyline class="line ${cls}" points="${line}"/>`);
    // Success: only where there were calls reporting it; a lone point is a dot.
    for (const run of runs(version.slots.map((s) => (s && s.successRate !== null ? s.successRate : null)))) {
      if (run.length > 1) parts.push(`<polyline class="line ${cls}" points="${run.map(({ i, v }) => `${x(i)},${ySuccess(v)}`).join(' ')}"/>`);
    }
    version.slots.forEach((s, i) => {
      if (!s) return;
      const tip = `${version.name} · ${when(i)}: ${s.calls.toLocaleString('en-US')} call${s.calls === 1 ? '' : 's'}${s.successRate === null ? '' : `, ${percent(s.successRate)} success`}`;
      parts.push(`<circle class="dot ${cls}" cx="${x(i)}" cy="${yCalls(s.calls)}" r="2.5"><title>${escape(tip)}</title></circle>`);
      if (s.successRate !== null) parts.push(`<circle class="dot ${cls}" cx="${x(i)}" cy="${ySuccess(s.successRate)}" r="2.5"><title>${escape(tip)}</title></circle>`);
    });
  });

  const span = series.bucket === 'day' ? `the last ${count} days` : `the last ${count} hours`;
  const svg = `<svg class="usage-chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="Calls and success rate by version over ${span}">${parts.join('')}</svg>`;
  return { svg, legend: drawn.map((v, n) => ({ sha: v.sha, name: v.name, calls: v.total, series: n })) };
}

interface Drawn {
  sha: string;
  name: string;
  total: number;
  /** One entry per bucket of the window; undefined where the version had no calls. */
  slots: ({ calls: number; successRate: number | null } | undefined)[];
}

/** The highlighted versions first, then the most called, up to `maxVersions`, each with calls in the window. */
function pickVersions(series: UsageSeries, options: ChartOptions, slot: (iso: string) => number): Drawn[] {
  const inWindow = series.versions
    .map((v) => {
      const slots: Drawn['slots'] = new Array(options.buckets).fill(undefined);
      for (const p of v.points) {
        const i = slot(p.start);
        if (i >= 0 && i < options.buckets) slots[i] = { calls: p.calls, successRate: p.successRate };
      }
      const total = slots.reduce((sum, s) => sum + (s?.calls ?? 0), 0);
      return { sha: v.sha, name: options.name(v.sha), total, slots };
    })
    .filter((v) => v.total > 0);
  const highlight = options.highlight ?? [];
  const rank = (v: Drawn) => (highlight.includes(v.sha) ? highlight.indexOf(v.sha) - highlight.length : 0);
  return inWindow.sort((a, b) => rank(a) - rank(b) || b.total - a.total).slice(0, options.maxVersions ?? 5);
}

/** Consecutive non-null values, for lines that break where there is no data. */
function runs(values: (number | null)[]): { i: number; v: number }[][] {
  const out: { i: number; v: number }[][] = [];
  let current: { i: number; v: number }[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (current.length) out.push(current);
      current = [];
    } else current.push({ i, v });
  });
  if (current.length) out.push(current);
  return out;
}

/** 1, 2, 5, 10, 20, 50… at or above `n`. */
export function niceCeiling(n: number): number {
  const power = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((m) => m * power).find((v) => v >= n)!;
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Nov 3` for days, `Nov 3 14:00` for hours (UTC, as the forge buckets). */
function label(date: Date, bucket: 'hour' | 'day'): string {
  const day = `${months[date.getUTCMonth()]} ${date.getUTCDate()}`;
  return bucket === 'day' ? day : `${day} ${String(date.getUTCHours()).padStart(2, '0')}:00`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

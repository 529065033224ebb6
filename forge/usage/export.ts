/**
 * CSV and JSON renderings of metrics, series and raw events. CSV follows RFC 4180
 * (quoted when needed, CRLF line ends) so spreadsheets open it as is. Text that a
 * spreadsheet would run as a formula (OWASP "CSV injection": a cell starting with
 * = + - @ tab or CR, e.g. a `model` of `=HYPERLINK(…)` sent by any app) gets a leading
 * single quote; numbers are left alone, so a feedback of -1 stays a number.
 */
import type { ExportedEvent, Series } from './store';
import type { VersionMetrics } from './tally';

export type ExportFormat = 'csv' | 'json';

export const METRIC_COLUMNS = [
  'sha', 'release', 'labels', 'calls', 'successRate', 'latencyP50', 'latencyP95',
  'inputTokens', 'outputTokens', 'feedback', 'firstSeen', 'lastSeen',
] as const satisfies readonly (keyof VersionMetrics)[];

export const EVENT_COLUMNS = [
  'at', 'repo', 'id', 'sha', 'release', 'labels', 'trackingId', 'success', 'latencyMs',
  'inputTokens', 'outputTokens', 'model', 'feedback', 'metadata',
] as const satisfies readonly (keyof ExportedEvent)[];

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = Array.isArray(v) ? v.join(' ') : String(v);
  if (typeof v !== 'number' && typeof v !== 'boolean' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

export function metricsCsv(versions: VersionMetrics[]): string {
  return csvRow([...METRIC_COLUMNS]) + versions.map((v) => csvRow(METRIC_COLUMNS.map((c) => v[c]))).join('');
}

export function seriesCsv(series: Series): string {
  const rows = series.versions.flatMap((v) => v.points.map((p) => csvRow([v.sha, p.start, p.calls, p.successRate])));
  return csvRow(['sha', 'start', 'calls', 'successRate']) + rows.join('');
}

/**
 * Streams events as CSV or a JSON array, one chunk per event, so exports never sit whole
 * in memory. Async, because the Postgres store reads its pages over the network.
 */
export async function* eventChunks(events: Iterable<ExportedEvent> | AsyncIterable<ExportedEvent>, format: ExportFormat): AsyncGenerator<string> {
  if (format === 'csv') {
    yield csvRow([...EVENT_COLUMNS]);
    for await (const e of events) yield csvRow(EVENT_COLUMNS.map((c) => e[c]));
    return;
  }
  let first = true;
  yield '[';
  for await (const e of events) {
    yield `${first ? '' : ','}\n${JSON.stringify({ ...e, labels: JSON.parse(e.labels), metadata: e.metadata && JSON.parse(e.metadata) })}`;
    first = false;
  }
  yield '\n]\n';
}

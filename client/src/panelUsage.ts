// The usage part of Render & Test: a chart of calls and success rate by version over the
// last days or hours, and a table comparing the versions shown in the panel. Fetched
// through the language server; drawn by the pure modules in core/metrics/.
import type { LanguageClient } from 'vscode-languageclient/node';
import * as P from '../../server/src/protocol';
import { usageChart } from '../../core/metrics/chart';
import { compareVersions } from '../../core/metrics/compare';
import { errorCode, errorMessage } from './errors';
import type { PromptRef } from './tree';

export type UsageWindow = 'day' | 'hour';

const windows: Record<UsageWindow, { buckets: number; stepMs: number }> = {
  day: { buckets: 30, stepMs: 86_400_000 },
  hour: { buckets: 48, stepMs: 3_600_000 },
};
// Numbers this old are fetched again when the panel next needs them.
const freshForMs = 30_000;

/** What the webview draws: a chart, a comparison table, or why there is neither. */
export interface UsageView {
  type: 'usage';
  window: UsageWindow;
  chart?: { svg: string; legend: { name: string; calls: number; series: number }[] };
  table?: { columns: string[]; rows: ReturnType<typeof compareVersions> };
  message?: string;
}

/** A version as the panel shows it: its spec, and the SHA it rendered at. */
export interface ShownVersion {
  spec: string;
  sha?: string;
}

export class PanelUsage {
  private window: UsageWindow = 'day';
  private fetched: { at: number; window: UsageWindow; usage: P.UsageResult; names: Map<string, string> } | undefined;

  constructor(
    private readonly client: LanguageClient,
    private readonly ref: PromptRef,
  ) {}

  setWindow(window: UsageWindow): void {
    this.window = window;
    this.fetched = undefined;
  }

  /** Forgets the numbers, after the panel recorded usage itself. */
  invalidate(): void {
    this.fetched = undefined;
  }

  async view(shown: ShownVersion[], now = new Date()): Promise<UsageView> {
    const window = this.window;
    try {
      if (!this.fetched || this.fetched.window !== window || Date.now() - this.fetched.at > freshForMs) {
        const { buckets, stepMs } = windows[window];
        const since = new Date(Math.floor(now.getTime() / stepMs) * stepMs - (buckets - 1) * stepMs).toISOString();
        const [usage, history] = await Promise.all([
          this.client.sendRequest(P.UsageRequest, { ...this.ref, bucket: window, since }),
          this.client.sendRequest(P.VersionsRequest, this.ref),
        ]);
        const names = new Map(history.versions.map((v) => [v.sha, [v.release, ...v.labels].filter(Boolean).join(' · ') || v.sha.slice(0, 7)]));
        this.fetched = { at: Date.now(), window, usage, names };
      }
    } catch (error) {
      const message = errorCode(error) === 'usage_unavailable' ? `${errorMessage(error)}.` : `Usage is not available: ${errorMessage(error)}`;
      return { type: 'usage', window, message };
    }
    const { usage, names } = this.fetched;
    // A render that failed (a missing param) has no SHA; the server still resolves its spec.
    const shaOf = (spec: string) => this.client.sendRequest(P.ResolveVersionRequest, { ...this.ref, version: spec }).then((r) => r.sha, () => undefined);
    shown = await Promise.all(shown.map(async (v) => ({ spec: v.spec, sha: v.sha ?? (await shaOf(v.spec)) })));
    const span = window === 'day' ? 'the last 30 days' : 'the last 48 hours';
    if (!usage.versions.length) {
      return { type: 'usage', window, message: `No usage recorded in ${span}. Apps report it with the SDK's recordUsage; a rated run here counts too.` };
    }
    const name = (sha: string) => names.get(sha) ?? sha.slice(0, 7);
    const chart = usageChart(usage.series!, { now, buckets: windows[window].buckets, name, highlight: shown.flatMap((v) => (v.sha ? [v.sha] : [])) });
    const metricsOf = (v: ShownVersion) => usage.versions.find((u) => u.sha === v.sha);
    const [a, b] = shown;
    return {
      type: 'usage',
      window,
      chart: { svg: chart.svg, legend: chart.legend.map(({ name, calls, series }) => ({ name, calls, series })) },
      table: {
        columns: shown.map((v) => (v.sha ? `${v.spec} (${v.sha.slice(0, 7)})` : v.spec)),
        rows: compareVersions(metricsOf(a), b ? metricsOf(b) : undefined),
      },
    };
  }
}

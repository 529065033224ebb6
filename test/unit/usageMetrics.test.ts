import assert from 'node:assert/strict';
import fc from 'fast-check';
import { usageChart, niceCeiling } from '../../core/metrics/chart';
import { compareVersions } from '../../core/metrics/compare';
import { describeUsage } from '../../core/usageText';
import type { UsageSeries, VersionUsage } from '../../sdk/forgeTypes';

const usage = (over: Partial<VersionUsage>): VersionUsage => ({
  sha: 'a'.repeat(40),
  release: null,
  labels: [],
  calls: 100,
  successRate: 0.9,
  latencyP50: 500,
  latencyP95: 1500,
  inputTokens: 40_000,
  outputTokens: 10_000,
  feedback: 0.2,
  firstSeen: '2026-11-01T08:00:00.000Z',
  lastSeen: '2026-11-20T17:59:30.000Z',
  ...over,
});

describe('usage texts', () => {
  it('reads calls and success the same way in hover and tree', () => {
    assert.equal(describeUsage({ calls: 1204, successRate: 0.9712 }), '1,204 calls · 97% success');
    assert.equal(describeUsage({ calls: 1, successRate: null }), '1 call');
    assert.equal(describeUsage({ calls: 2000, successRate: 0.995 }), '2,000 calls · 99.5% success');
  });
});

describe('comparing two versions', () => {
  it('shows each metric side by side with the change and whether it is an improvement', () => {
    const a = usage({});
    const b = usage({ calls: 40, successRate: 0.95, latencyP50: 380, inputTokens: 2_400, feedback: -0.1, lastSeen: null });
    const rows = new Map(compareVersions(a, b).map((r) => [r.metric, r]));
    assert.deepEqual(rows.get('Calls'), { metric: 'Calls', a: '100', b: '40', delta: '−60' });
    assert.deepEqual(rows.get('Success rate'), { metric: 'Success rate', a: '90%', b: '95%', delta: '+5.0 pts', tone: 'better' });
    assert.deepEqual(rows.get('Latency p50'), { metric: 'Latency p50', a: '500 ms', b: '380 ms', delta: '−120 ms', tone: 'better' });
    assert.equal(rows.get('Input tokens / call')!.b, '60');
    assert.equal(rows.get('Input tokens / call')!.tone, 'better');
    assert.deepEqual(rows.get('Feedback (−1…1)'), { metric: 'Feedback (−1…1)', a: '+0.20', b: '−0.10', delta: '−0.30', tone: 'worse' });
    assert.deepEqual(rows.get('Last used'), { metric: 'Last used', a: '2026-11-20 17:59', b: '—' });
  });

  it('shows a dash and no change for a version that was never used, and "same" for equal shown values', () => {
    const rows = compareVersions(usage({ successRate: 0.9704 }), undefined);
    assert.ok(rows.every((r) => r.b === '—' && r.delta === undefined));
    const same = compareVersions(usage({ successRate: 0.9704 }), usage({ successRate: 0.9701 })).find((r) => r.metric === 'Success rate')!;
    assert.equal(same.tone, 'same');
    assert.equal(same.delta, '±0.0 pts');
  });
});

describe('usage chart', () => {
  const now = new Date('2026-11-22T10:30:00Z');
  const sha = (c: string) => c.repeat(40);
  const series: UsageSeries = {
    bucket: 'day',
    versions: [
      { sha: sha('a'), points: [{ start: '2026-11-20T00:00:00.000Z', calls: 30, successRate: 0.9 }, { start: '2026-11-21T00:00:00.000Z', calls: 50, successRate: 0.8 }] },
      { sha: sha('b'), points: [{ start: '2026-11-22T00:00:00.000Z', calls: 7, successRate: null }] },
      { sha: sha('c'), points: [{ start: '2026-09-01T00:00:00.000Z', calls: 900, successRate: 1 }] },
    ],
  };
  const name = (s: string) => (s === sha('a') ? '1.2.0 <prod>' : s.slice(0, 7));

  it('draws the versions used in the window, the shown ones first, with tooltips per bucket', () => {
    const chart = usageChart(series, { now, buckets: 30, name, highlight: [sha('b')] });
    assert.deepEqual(
      chart.legend.map((l) => [l.name, l.calls, l.series]),
      [
        ['bbbbbbb', 7, 0],
        ['1.2.0 <prod>', 80, 1],
      ],
      'the version used only before the window is left out',
    );
    assert.match(chart.svg, /aria-label="Calls and success rate by version over the last 30 days"/);
    assert.match(chart.svg, /<title>1\.2\.0 &lt;prod&gt; · Nov 21: 50 calls, 80% success<\/title>/);
    assert.match(chart.svg, /<title>bbbbbbb · Nov 22: 7 calls<\/title>/);
    assert.match(chart.svg, /<text class="axis" x="38" y="12" text-anchor="end">50<\/text>/, 'the calls axis ends at the peak, a round number');
    assert.match(chart.svg, />Oct 24<\/text>.*>Nov 22<\/text>/s, 'dates from the window start to today');
    assert.equal((chart.svg.match(/class="line series-1"/g) ?? []).length, 2, 'one calls line and one success line');
  });

  it('labels hours and caps the number of versions', () => {
    const many: UsageSeries = {
      bucket: 'hour',
      versions: Array.from({ length: 8 }, (_, i) => ({ sha: String(i).repeat(40), points: [{ start: '2026-11-22T09:00:00.000Z', calls: i + 1, successRate: 1 }] })),
    };
    const chart = usageChart(many, { now, buckets: 48, name: (s) => s.slice(0, 7) });
    assert.deepEqual(chart.legend.map((l) => l.calls), [8, 7, 6, 5, 4]);
    assert.match(chart.svg, />Nov 22 10:00<\/text>/);
  });

  it('rounds the calls axis up to 1, 2 or 5 times a power of ten', () => {
    assert.deepEqual([1, 3, 7, 10, 11, 480, 501].map(niceCeiling), [1, 5, 10, 10, 20, 500, 1000]);
  });

  it('never throws and always yields balanced SVG, whatever the names and points', () => {
    const point = fc.record({
      start: fc.date({ min: new Date('2026-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
      calls: fc.integer({ min: 0, max: 1e9 }),
      successRate: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
    });
    const anySeries = fc.record({ bucket: fc.constantFrom('hour' as const, 'day' as const), versions: fc.array(fc.record({ sha: fc.stringMatching(/^[0-9a-f]{40}$/), points: fc.array(point, { maxLength: 20 }) }), { maxLength: 8 }) });
    fc.assert(
      fc.property(anySeries, fc.string(), fc.integer({ min: 1, max: 72 }), (s, label, buckets) => {
        const chart = usageChart(s, { now, buckets, name: () => label });
        assert.ok(!/NaN|Infinity/.test(chart.svg));
        assert.equal((chart.svg.match(/<title>/g) ?? []).length, (chart.svg.match(/<\/title>/g) ?? []).length);
        const stripped = chart.svg.replace(/<title>[^<]*<\/title>/g, '');
        assert.ok(!/<[^a-z/]/i.test(stripped.replace(/<\/?[a-z]+[^<>]*>/g, '')), 'no stray markup from names');
      }),
    );
  });
});

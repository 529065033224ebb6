/** The usage store's side of experiments: events carry experiment and variant; totals per variant; older databases gain the columns. */
import { strict as assert } from 'node:assert';
import { UsageStore } from '../../forge/usage/store';
import { tempDir } from './apiServer';

const SHA = 'a'.repeat(40);

describe('usage store: experiments', () => {
  const tmp = tempDir('pf-usage-exp-');
  after(() => tmp.cleanup());

  it('keeps experiment and variant per event and sums them per variant', async () => {
    const store = new UsageStore(':memory:');
    const ev = (variant: string, success: boolean, latencyMs: number) => ({ repo: 'demo', id: 'welcome', sha: SHA, experiment: 'welcome.production.1', variant, success, latencyMs });
    const out = await store.ingest({ events: [ev('control', true, 30), ev('control', false, 10), ev('v1', true, 20), { repo: 'demo', id: 'welcome', sha: SHA, success: true }, { ...ev('v1', true, 1), variant: 'not a name!' }] });
    assert.equal(out.accepted, 4);
    assert.equal(out.rejected[0].code, 'invalid_variant');
    const totals = store.experimentTotals('welcome.production.1');
    assert.deepEqual(totals.get('control'), { calls: 2, successKnown: 2, successes: 1, latencies: [10, 30], inputTokens: 0, outputTokens: 0, feedbackSum: 0, feedbackCount: 0 });
    assert.equal(totals.get('v1')!.calls, 1);
    assert.equal(store.experimentTotals('other').size, 0);
    const exported = [...store.events('demo', 'welcome')];
    assert.deepEqual(exported.map((e) => e.variant), ['control', 'control', 'v1', null]);
    store.close();
  });

});

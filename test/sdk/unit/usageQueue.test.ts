import assert from 'node:assert/strict';
import type { UsageEvent } from '../../../sdk/forgeTypes';
import { UsageQueue } from '../../../sdk/usageQueue';

const event = (n: number): UsageEvent => ({ repo: 'demo', id: 'welcome', sha: 'a'.repeat(40), latencyMs: n });

describe('sdk usage queue', () => {
  it('sends in batches of at most maxBatch', async () => {
    const batches: UsageEvent[][] = [];
    const queue = new UsageQueue(async (b) => void batches.push(b), { maxBatch: 2, flushIntervalMs: 60_000 });
    for (let i = 0; i < 5; i++) queue.push(event(i));
    await queue.close();
    assert.deepEqual(batches.map((b) => b.map((e) => e.latencyMs)), [[0, 1], [2, 3], [4]]);
    assert.deepEqual(queue.getStats(), { queued: 0, sent: 5, dropped: 0, failedFlushes: 0 });
  });

  it('keeps at most maxQueue events when sends fail, dropping the oldest and counting them', async () => {
    const queue = new UsageQueue(async () => Promise.reject(new Error('forge down')), { maxQueue: 3, flushIntervalMs: 60_000 });
    for (let i = 0; i < 10; i++) queue.push(event(i));
    await queue.flush();
    queue.push(event(10));
    await queue.close();
    const stats = queue.getStats();
    assert.deepEqual(stats, { queued: 3, sent: 0, dropped: 8, failedFlushes: 2 });
  });

  it('does not send while the forge is known down, and sends what waited once it is back', async () => {
    let up = false;
    const sent: number[] = [];
    const queue = new UsageQueue(async (b) => void sent.push(...b.map((e) => e.latencyMs!)), { flushIntervalMs: 60_000 }, () => up);
    queue.push(event(1));
    await queue.flush();
    assert.deepEqual(sent, []);
    up = true;
    await queue.close();
    assert.deepEqual(sent, [1]);
  });
});

import assert from 'node:assert/strict';
import { CircuitBreaker, type BreakerState } from '../../../sdk/breaker';
import { waitFor } from '../helpers/waitFor';

describe('sdk circuit breaker', () => {
  it('opens after the threshold of consecutive failures, and a success in between resets the count', () => {
    const breaker = new CircuitBreaker(() => new Promise(() => {}), { failureThreshold: 2, probeIntervalMs: 60_000 });
    breaker.failure(new Error('a'));
    breaker.success();
    breaker.failure(new Error('b'));
    assert.equal(breaker.isOpen, false);
    breaker.failure(new Error('c'));
    assert.equal(breaker.isOpen, true);
    assert.equal((breaker.lastError as Error).message, 'c');
    breaker.stop();
  });

  it('probes in the background while open and closes when a probe succeeds', async () => {
    let healthy = false;
    let probes = 0;
    const changes: BreakerState[] = [];
    const breaker = new CircuitBreaker(
      async () => {
        probes++;
        if (!healthy) throw new Error('down');
      },
      { failureThreshold: 1, probeIntervalMs: 5, maxProbeIntervalMs: 20 },
      (s) => changes.push(s),
    );
    breaker.failure(new Error('refused'));
    await waitFor('two failed probes', () => probes >= 2);
    assert.equal(breaker.isOpen, true);
    healthy = true;
    await waitFor('circuit closed', () => !breaker.isOpen);
    assert.deepEqual(changes, ['open', 'closed']);
    breaker.stop();
  });
});

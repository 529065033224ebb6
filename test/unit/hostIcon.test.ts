import assert from 'node:assert/strict';
import { hostIcon } from '../../client/src/hostIcon';
import type { HostState } from '../../server/src/protocol';

describe('tree: host icons', () => {
  // Every state the language server reports (protocol HostState).
  const states: HostState[] = ['loading', 'connected', 'stale', 'unreachable', 'error'];

  it('shows the green "connected" icon only for a connected host', () => {
    for (const state of states) {
      const green = hostIcon(state).color === 'charts.green';
      assert.equal(green, state === 'connected', state);
    }
  });

  it('marks stale and unreachable hosts as disconnected, an unreachable one as an error', () => {
    assert.deepEqual(hostIcon('stale'), { id: 'debug-disconnect', color: 'list.warningForeground' });
    assert.deepEqual(hostIcon('unreachable'), { id: 'debug-disconnect', color: 'list.errorForeground' });
    assert.equal(hostIcon('error').id, 'error');
    assert.equal(hostIcon('loading').id, 'loading~spin');
  });
});

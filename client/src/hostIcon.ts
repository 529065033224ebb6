// The tree's icon for each host state. Pure (no vscode) so every state's icon is tested;
// the switch is exhaustive, so a state added to the protocol fails to compile until placed.
import { unhandled } from '../../core/errors';
import type { HostState } from '../../server/src/protocol';

export interface IconSpec {
  /** Codicon id. */
  id: string;
  /** Theme color id, when the icon is colored. */
  color?: string;
}

export function hostIcon(state: HostState): IconSpec {
  switch (state) {
    case 'connected':
      return { id: 'server-environment', color: 'charts.green' };
    case 'loading':
      return { id: 'loading~spin' };
    case 'stale':
      // Answers come from the last good copy while the link is down.
      return { id: 'debug-disconnect', color: 'list.warningForeground' };
    case 'unreachable':
      return { id: 'debug-disconnect', color: 'list.errorForeground' };
    case 'error':
      return { id: 'error', color: 'list.errorForeground' };
    default:
      return unhandled(state);
  }
}

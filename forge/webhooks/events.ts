/** The webhook name of each forge event: store changes get the names DESIGN §9 gives them, the rest keep theirs. */
import type { ForgeEvent } from '../http/events';

const STORE_NAMES: Record<string, string> = { label: 'label.moved', version: 'version.created', release: 'release.created' };

export function webhookType(event: ForgeEvent): string {
  return STORE_NAMES[event.type] ?? event.type;
}

export function eventData(event: ForgeEvent): Record<string, unknown> {
  const { type: _type, ...data } = event;
  return data;
}

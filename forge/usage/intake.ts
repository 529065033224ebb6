/**
 * What every usage store does before it writes: check each event of a batch, ask the
 * resolver once per version which release and labels it carried, and list the rest as
 * rejections. Shared by the SQLite and Postgres stores so both accept the same events.
 */
import { validateBatch, validateEvent, type Rejection, type UsageEvent } from './event';
import type { StoredEvent, VersionInfo, VersionResolver } from './types';

export async function intake(body: unknown, now: number, oldestAt: number, resolve?: VersionResolver): Promise<{ stored: StoredEvent[]; rejected: Rejection[] }> {
  const raw = validateBatch(body);
  const rejected: Rejection[] = [];
  const good: { index: number; event: UsageEvent }[] = [];
  raw.forEach((item, index) => {
    const checked = validateEvent(item, now, oldestAt);
    if (checked.ok) good.push({ index, event: checked.event });
    else rejected.push({ index, code: checked.code, message: checked.message });
  });

  const infos = new Map<string, VersionInfo | null>();
  for (const { event } of good) {
    const key = versionKey(event);
    if (!infos.has(key)) infos.set(key, resolve ? await resolve(event.repo, event.id, event.sha) : { release: null, labels: [] });
  }
  const stored: StoredEvent[] = [];
  for (const { index, event } of good) {
    const info = infos.get(versionKey(event));
    if (info) stored.push(Object.assign(event, info));
    else rejected.push({ index, code: 'unknown_prompt', message: `repo "${event.repo}" has no prompt "${event.id}" at ${event.sha}` });
  }
  rejected.sort((a, b) => a.index - b.index);
  return { stored, rejected };
}

export function versionKey(e: { repo: string; id: string; sha: string }): string {
  return `${e.repo}\0${e.id}\0${e.sha}`;
}

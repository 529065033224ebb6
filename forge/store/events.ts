/** Compares two ref snapshots: the change events users see, and which prompts' labels or releases moved. */
import type { RefSnapshot } from './git/refs';
import type { Histories } from './repoIndex';
import type { StoreEvent } from './types';

export function refEvents(
  repo: string,
  before: RefSnapshot,
  after: RefSnapshot,
  movedBranches: string[],
  oldHistories: Map<string, Histories>,
  newHistory: (branch: string) => Histories,
): StoreEvent[] {
  const events: StoreEvent[] = [];
  for (const branch of movedBranches) {
    // A new branch is compared with the default branch it most likely forked from, so
    // creating one announces only what differs, not every prompt of the repo.
    const old = oldHistories.get(branch) ?? oldHistories.get(before.head) ?? new Map();
    for (const [id, commits] of newHistory(branch)) {
      const head = commits[0]?.sha;
      if (head && old.get(id)?.[0]?.sha !== head) events.push({ type: 'version', repo, id, branch, sha: head });
    }
  }
  for (const id of new Set([...before.labels.keys(), ...after.labels.keys()])) {
    const was = before.labels.get(id) ?? new Map<string, string>();
    const now = after.labels.get(id) ?? new Map<string, string>();
    for (const label of new Set([...was.keys(), ...now.keys()])) {
      const from = was.get(label) ?? null;
      const to = now.get(label) ?? null;
      if (from !== to) events.push({ type: 'label', repo, id, label, from, to });
    }
  }
  for (const [id, releases] of after.releases) {
    for (const [version, sha] of releases) {
      if (before.releases.get(id)?.get(version) !== sha) events.push({ type: 'release', repo, id, version, sha });
    }
  }
  return events;
}

/** Prompt ids whose labels or releases differ between two snapshots. */
export function idsWithMovedRefs(before: RefSnapshot, after: RefSnapshot): Set<string> {
  const ids = new Set<string>();
  for (const kind of ['labels', 'releases'] as const) {
    for (const id of new Set([...before[kind].keys(), ...after[kind].keys()])) {
      const was = before[kind].get(id);
      const now = after[kind].get(id);
      if (was?.size !== now?.size || [...(now ?? [])].some(([name, sha]) => was?.get(name) !== sha)) ids.add(id);
    }
  }
  return ids;
}

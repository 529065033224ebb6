/**
 * Promotion requests for protected labels: created with a note, approved or rejected
 * (never by the requester's own key), applied as one compare-and-swap move of the label.
 * Kept in git on `refs/promptforge/requests` (one JSON file per label), so they travel
 * with the repository like the promotion history, and every step names who and when.
 */
import { randomBytes } from 'node:crypto';
import { mayApprove, type Approval } from '../../core/policy';
import { HttpError } from '../http/errors';
import type { PromptStore } from '../store';
import { ZERO_SHA } from '../store/git/refs';
import { commitTree, hashObject, updateRefs, writeTree } from '../store/git/plumbing';
import { gitText } from '../store/git/run';
import { enforceGate, labelRule } from './gate';

export const REQUESTS_REF = 'refs/promptforge/requests';

export interface Step {
  by: string;
  at: string;
  note?: string;
}

export interface PromotionRequest {
  rid: string;
  repo: string;
  id: string;
  label: string;
  /** The spec asked for, and the version it resolved to when the request was made. */
  version: string;
  sha: string;
  /** Where the label pointed when the request was made; applying refuses if it moved since. */
  expected: string | null;
  status: 'open' | 'rejected' | 'applied';
  requested: Step;
  approvals: (Step & { role: Approval['role'] })[];
  rejected?: Step;
  applied?: Step;
}

const pathOf = (id: string, label: string) => `${id}/${label}.json`;

export async function listRequests(store: PromptStore, id: string, label: string): Promise<PromotionRequest[]> {
  const text = await store.readAt(REQUESTS_REF, pathOf(id, label));
  return text === null ? [] : (JSON.parse(text) as PromotionRequest[]);
}

export async function getRequest(store: PromptStore, id: string, label: string, rid: string): Promise<PromotionRequest> {
  const found = (await listRequests(store, id, label)).find((r) => r.rid === rid);
  if (!found) throw new HttpError('request_not_found', `no promotion request "${rid}" for ${id}/${label}`);
  return found;
}

export async function createRequest(store: PromptStore, id: string, label: string, version: string, note: string | undefined, caller: Approval): Promise<PromotionRequest> {
  const resolved = await store.resolve(id, version);
  const current = store.listPrompts().find((p) => p.id === id)?.labels[label] ?? null;
  const request: PromotionRequest = {
    rid: `r${randomBytes(4).toString('hex')}`,
    repo: store.name,
    id,
    label,
    version,
    sha: resolved.sha,
    expected: current,
    status: 'open',
    requested: step(caller, note),
    approvals: [],
  };
  await update(store, id, label, caller, `request ${request.rid}: ${id}/${label} -> ${resolved.sha.slice(0, 12)}`, (all) => [...all, request]);
  return request;
}

export async function approveRequest(store: PromptStore, id: string, label: string, rid: string, note: string | undefined, caller: Approval): Promise<PromotionRequest> {
  const rule = await labelRule(store, label);
  return change(store, id, label, rid, caller, 'approve', (r) => {
    const refused = mayApprove(rule, caller, r.requested.by);
    if (refused) throw new HttpError('approval_refused', refused);
    if (r.approvals.some((a) => a.by === caller.by)) throw new HttpError('already_approved', `key "${caller.by}" already approved request ${rid}`);
    return { ...r, approvals: [...r.approvals, { ...step(caller, note), role: caller.role }] };
  });
}

export async function rejectRequest(store: PromptStore, id: string, label: string, rid: string, note: string | undefined, caller: Approval): Promise<PromotionRequest> {
  const rule = await labelRule(store, label);
  return change(store, id, label, rid, caller, 'reject', (r) => {
    const refused = mayApprove(rule, caller, r.requested.by);
    if (refused && caller.by !== r.requested.by) throw new HttpError('approval_refused', refused.replace('approv', 'reject'));
    return { ...r, status: 'rejected', rejected: step(caller, note) };
  });
}

/** Checks the gate with the request's approvals, moves the label by CAS from where it was at request time, then marks the request applied. */
export async function applyRequest(store: PromptStore, id: string, label: string, rid: string, caller: Approval): Promise<PromotionRequest> {
  const request = await getRequest(store, id, label, rid);
  if (request.status !== 'open') throw new HttpError('request_closed', `request ${rid} is ${request.status}`);
  await enforceGate(store, id, label, request.sha, caller, request.approvals, true);
  await store.promote(id, label, request.sha, request.expected, { name: caller.by });
  return change(store, id, label, rid, caller, 'apply', (r) => ({ ...r, status: 'applied', applied: step(caller) }));
}

function step(caller: Approval, note?: string): Step {
  return { by: caller.by, at: new Date().toISOString(), ...(note ? { note } : {}) };
}

async function change(store: PromptStore, id: string, label: string, rid: string, caller: Approval, verb: string, edit: (r: PromotionRequest) => PromotionRequest): Promise<PromotionRequest> {
  let result: PromotionRequest | undefined;
  await update(store, id, label, caller, `request ${rid}: ${verb}`, (all) =>
    all.map((r) => {
      if (r.rid !== rid) return r;
      if (r.status !== 'open') throw new HttpError('request_closed', `request ${rid} is ${r.status}`);
      result = edit(r);
      return result;
    }),
  );
  if (!result) throw new HttpError('request_not_found', `no promotion request "${rid}" for ${id}/${label}`);
  return result;
}

/** Rewrites one label's request file in a new commit on the requests ref; retries when another writer got there first. */
async function update(store: PromptStore, id: string, label: string, caller: Approval, message: string, edit: (all: PromotionRequest[]) => PromotionRequest[]): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const tip = (await gitText(store.gitDir, ['for-each-ref', '--format=%(objectname)', REQUESTS_REF])) || null;
    const text = tip ? await store.readAt(tip, pathOf(id, label)) : null;
    const next = edit(text === null ? [] : (JSON.parse(text) as PromotionRequest[]));
    const blob = await hashObject(store.gitDir, `${JSON.stringify(next, null, 1)}\n`);
    const tree = await writeTree(store.gitDir, tip, [{ path: pathOf(id, label), blob }]);
    const commit = await commitTree(store.gitDir, tree, tip ? [tip] : [], message, { name: caller.by });
    if (await updateRefs(store.gitDir, [{ ref: REQUESTS_REF, to: commit, from: tip ?? ZERO_SHA }], 'promptforge: request')) return;
  }
  throw new HttpError('request_conflict', 'promotion requests kept changing while this one was written; try again');
}

/**
 * The refs the store cares about, read with one `git for-each-ref`: branches, labels
 * (`refs/labels/ID/LABEL`), releases (tags `ID@SEMVER`) and the promotion history ref.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import semver from 'semver';
import { runGit } from './run';

export const HISTORY_REF = 'refs/promptforge/history';
export const ZERO_SHA = '0000000000000000000000000000000000000000';

export interface RefSnapshot {
  /** branch name → tip commit */
  branches: Map<string, string>;
  /** prompt id → label → commit */
  labels: Map<string, Map<string, string>>;
  /** prompt id → semver → commit (annotated tags peeled) */
  releases: Map<string, Map<string, string>>;
  historyTip: string | null;
  /** Branch that HEAD names. */
  head: string;
  /** One string that changes whenever any of the above changes. */
  fingerprint: string;
}

export function labelRef(id: string, label: string): string {
  return `refs/labels/${id}/${label}`;
}

export function releaseRef(id: string, version: string): string {
  return `refs/tags/${id}@${version}`;
}

export function branchRef(branch: string): string {
  return `refs/heads/${branch}`;
}

async function readHead(gitDir: string): Promise<string> {
  const text = await readFile(join(gitDir, 'HEAD'), 'utf8').catch(() => '');
  const match = /^ref: refs\/heads\/(.+)$/m.exec(text);
  return match ? match[1].trim() : 'main';
}

/**
 * Branches, labels and the history ref are listed without reading their objects (cheap
 * even with thousands of loose refs); only tags are peeled. Whether a new branch or label
 * target really is a commit is checked by the caller (see `dropNonCommits`).
 */
export async function readRefs(gitDir: string): Promise<RefSnapshot> {
  const [plain, tags, head] = await Promise.all([
    runGit(gitDir, ['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads', 'refs/labels', HISTORY_REF]),
    runGit(gitDir, ['for-each-ref', '--format=%(objectname) %(*objectname) %(*objecttype) %(objecttype) %(refname)', 'refs/tags']),
    readHead(gitDir),
  ]);
  const plainText = plain.stdout.toString('utf8');
  const tagText = tags.stdout.toString('utf8');
  const snapshot: RefSnapshot = { branches: new Map(), labels: new Map(), releases: new Map(), historyTip: null, head, fingerprint: `${head}\n${plainText}${tagText}` };
  for (const line of plainText.split('\n')) {
    if (!line) continue;
    const [oid, ref] = line.split(' ');
    if (ref === HISTORY_REF) {
      snapshot.historyTip = oid;
    } else if (ref.startsWith('refs/heads/')) {
      snapshot.branches.set(ref.slice('refs/heads/'.length), oid);
    } else if (ref.startsWith('refs/labels/')) {
      const rest = ref.slice('refs/labels/'.length);
      const slash = rest.indexOf('/');
      if (slash <= 0 || rest.indexOf('/', slash + 1) >= 0) continue; // not ID/LABEL
      nested(snapshot.labels, rest.slice(0, slash)).set(rest.slice(slash + 1), oid);
    }
  }
  for (const line of tagText.split('\n')) {
    if (!line) continue;
    const [oid, peeled, peeledType, type, ref] = line.split(' ');
    if ((peeledType || type) !== 'commit') continue; // only commits can be prompt versions
    const name = ref.slice('refs/tags/'.length);
    const at = name.indexOf('@');
    if (at <= 0) continue;
    const version = semver.valid(name.slice(at + 1));
    if (version === null || version !== name.slice(at + 1)) continue;
    nested(snapshot.releases, name.slice(0, at)).set(version, peeled || oid);
  }
  return snapshot;
}

/** Removes branches and labels whose target is not a commit (someone pointed a label at a blob). */
export function dropNonCommits(snapshot: RefSnapshot, notCommits: Set<string>): void {
  if (notCommits.size === 0) return;
  for (const [branch, sha] of snapshot.branches) if (notCommits.has(sha)) snapshot.branches.delete(branch);
  for (const labels of snapshot.labels.values()) for (const [label, sha] of labels) if (notCommits.has(sha)) labels.delete(label);
}

function nested(map: Map<string, Map<string, string>>, key: string): Map<string, string> {
  let inner = map.get(key);
  if (!inner) map.set(key, (inner = new Map()));
  return inner;
}

/**
 * Writes with git plumbing only, so bare repositories work and no work tree is touched:
 * objects with `hash-object -w`, trees through a throw-away index file, commits with
 * `commit-tree`, tags with `mktag`, and ref moves with `update-ref --stdin`, whose
 * transaction applies every compare-and-swap or none.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor } from '../types';
import { StoreError } from '../errors';
import { gitText, runGit } from './run';

export async function hashObject(gitDir: string, content: string | Buffer, type: 'blob' = 'blob'): Promise<string> {
  return gitText(gitDir, ['hash-object', '-w', '-t', type, '--stdin'], { input: content });
}

export interface TreeEdit {
  path: string;
  /** Blob to place at `path`; null removes the path. */
  blob: string | null;
}

/** The tree of `base` (a commit, or none for an empty tree) with `edits` applied. */
export async function writeTree(gitDir: string, base: string | null, edits: TreeEdit[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'promptforge-index-'));
  const env = { GIT_INDEX_FILE: join(dir, 'index') };
  try {
    await runGit(gitDir, base ? ['read-tree', base] : ['read-tree', '--empty'], { env });
    const info = edits
      .map((e) => (e.blob ? `100644 ${e.blob}\t${e.path}` : `0 0000000000000000000000000000000000000000\t${e.path}`))
      .join('\n');
    await runGit(gitDir, ['update-index', '--index-info'], { env, input: info + '\n' });
    return await gitText(gitDir, ['write-tree'], { env });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function identityEnv(actor: Actor, at: Date): Record<string, string> {
  const date = `${Math.floor(at.getTime() / 1000)} +0000`;
  return {
    GIT_AUTHOR_NAME: actor.name,
    GIT_AUTHOR_EMAIL: actor.email ?? '',
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: actor.name,
    GIT_COMMITTER_EMAIL: actor.email ?? '',
    GIT_COMMITTER_DATE: date,
  };
}

export async function commitTree(gitDir: string, tree: string, parents: string[], message: string, actor: Actor, at = new Date()): Promise<string> {
  const args = ['commit-tree', tree];
  for (const parent of parents) args.push('-p', parent);
  return gitText(gitDir, args, { input: message.endsWith('\n') ? message : message + '\n', env: identityEnv(actor, at) });
}

/** An annotated tag object named `name` on `commit`. */
export async function makeTag(gitDir: string, commit: string, name: string, message: string, actor: Actor, at = new Date()): Promise<string> {
  const body = [
    `object ${commit}`,
    'type commit',
    `tag ${name}`,
    `tagger ${actor.name} <${actor.email ?? ''}> ${Math.floor(at.getTime() / 1000)} +0000`,
    '',
    message.endsWith('\n') ? message : message + '\n',
  ].join('\n');
  return gitText(gitDir, ['mktag'], { input: body });
}

export interface RefUpdate {
  ref: string;
  /** New value; null deletes the ref. */
  to: string | null;
  /** Required old value; ZERO_SHA means "must not exist". */
  from: string;
}

/**
 * Applies every update or none. False when a compare-and-swap failed (someone else moved a
 * ref); throws `ref_locked` when a lock file blocks a ref, since retrying cannot help
 * while it stays (a crashed git leaves one behind).
 */
export async function updateRefs(gitDir: string, updates: RefUpdate[], reason: string): Promise<boolean> {
  const input = ['start', ...updates.map((u) => (u.to === null ? `delete ${u.ref} ${u.from}` : `update ${u.ref} ${u.to} ${u.from}`)), 'prepare', 'commit', ''].join('\n');
  const { code, stderr } = await runGit(gitDir, ['update-ref', '-m', reason, '--stdin'], { input, okCodes: [1, 128] });
  if (code !== 0) {
    const locked = lockedRef(stderr);
    if (locked) throw locked;
  }
  return code === 0;
}

/** git's "Unable to create '….lock': File exists" as a StoreError naming the lock file and what to do. */
export function lockedRef(stderr: string): StoreError | undefined {
  const lock = /Unable to create '([^']+\.lock)': File exists/.exec(stderr)?.[1];
  if (!lock) return undefined;
  const ref = /cannot lock ref '([^']+)'/.exec(stderr)?.[1];
  return new StoreError(
    'ref_locked',
    `${ref ? `ref ${ref}` : 'a ref'} is locked by ${lock}: another git process is writing it, or one crashed and left the lock behind. ` +
      `If no git process is running in this repository, delete ${lock} and try again.`,
    { ...(ref ? { ref } : {}), lock },
  );
}

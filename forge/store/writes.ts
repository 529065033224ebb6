/**
 * The store's writes: promote a label, tag a release, commit a new version of a prompt.
 * Each validates every input before git sees it, re-reads the refs, writes objects with
 * plumbing and finishes with one compare-and-swap `update-ref`; it returns only after
 * that ref update completed, so an acknowledged write is durable. The caller runs them
 * one at a time per repo; git's compare-and-swap guards against other processes.
 */
import { LineIndex, type Problem } from '../../core/text';
import { checkRepo, includers, newProblems } from '../../core/repoCheck';
import { parsePromptFile, type PromptFile } from './core';
import { StoreError } from './errors';
import type { ObjectReader } from './git/catFile';
import { commitTree, hashObject, makeTag, updateRefs, writeTree, type TreeEdit } from './git/plumbing';
import { ZERO_SHA, branchRef, releaseRef } from './git/refs';
import {
  validateActor,
  validateBranch,
  validateLabel,
  validateLabelName,
  validatePromptId,
  validatePromptPath,
  validateReleaseVersion,
  validateSha,
  validateVersionSpec,
} from './names';
import { labelConflict, moveLabelWithHistory, readPromotions } from './promotions';
import type { RepoIndex } from './repoIndex';
import type { Actor, CommitInput, CommitResult, Promotion, PromotionRecord, ReleaseInfo, ResolvedPrompt } from './types';

export interface WriteContext {
  repo: string;
  gitDir: string;
  reader: ObjectReader;
  index: RepoIndex;
  refresh(): Promise<void>;
  resolve(id: string, version?: string): Promise<ResolvedPrompt>;
  /** Every prompt file of a commit's tree (none for null), parsed. */
  promptFiles(commit: string | null): Promise<Map<string, PromptAt>>;
  /** The prompt's newest live version on a branch: its commit, path and blob. */
  currentFile(branch: string, id: string): Promise<{ sha: string; path: string; blob: string } | null>;
}

export interface PromptAt {
  path: string;
  blob: string;
  file: PromptFile;
}

/** Attempts when only the history ref (not the label) moved under us. */
const HISTORY_RETRIES = 8;
const MAX_TEXT = 64 * 1024;

export async function labelHistory(ctx: WriteContext, id: string, label: string): Promise<PromotionRecord[]> {
  validatePromptId(id);
  validateLabelName(label);
  return (await readPromotions(ctx.reader, ctx.index.refs.historyTip, id, label)).reverse();
}

export async function promote(
  ctx: WriteContext,
  id: string,
  label: string,
  version: string,
  expected: string | null | undefined,
  actor: Actor,
  message?: string,
): Promise<Promotion> {
  validatePromptId(id);
  validateLabelName(label);
  validateVersionSpec(version);
  const who = validateActor(actor);
  const wanted = expected === undefined ? undefined : expected === null || expected === '' ? null : validateSha('expected', expected);
  await ctx.refresh();
  validateLabel(label, ctx.index.refs.branches.keys());
  const target = await ctx.resolve(id, version);
  for (let attempt = 0; attempt < HISTORY_RETRIES; attempt++) {
    const current = ctx.index.refs.labels.get(id)?.get(label) ?? null;
    if (wanted !== undefined && !(wanted === null ? current === null : current?.startsWith(wanted))) throw labelConflict(id, label, wanted, current);
    const record: Promotion = {
      id,
      label,
      from: current,
      to: target.sha,
      actor: who,
      at: new Date().toISOString(),
      ...(message ? { message } : {}),
    };
    if (await moveLabelWithHistory(ctx.gitDir, ctx.reader, ctx.index.refs.historyTip, record)) {
      await ctx.refresh();
      return record;
    }
    await ctx.refresh(); // someone else moved the label (→ 409 above) or only the history (→ retry)
  }
  throw new StoreError('label_conflict', `the promotion history of repo "${ctx.repo}" kept moving; try again`, { id, label });
}

/**
 * Deletes `refs/labels/ID/LABEL` if it is still at `expected` (compare-and-swap) and keeps
 * the deletion in the promotion history as a move to null. Any label can be deleted,
 * also one whose name a write would refuse today (made with plain git).
 */
export async function deleteLabel(ctx: WriteContext, id: string, label: string, expected: string, actor: Actor, message?: string): Promise<PromotionRecord> {
  validatePromptId(id);
  validateLabelName(label);
  const who = validateActor(actor);
  const wanted = validateSha('expected', expected);
  await ctx.refresh();
  for (let attempt = 0; attempt < HISTORY_RETRIES; attempt++) {
    const current = ctx.index.refs.labels.get(id)?.get(label) ?? null;
    if (current === null) throw new StoreError('label_not_found', `prompt "${id}" has no label "${label}" to delete`, { id, label });
    if (!current.startsWith(wanted)) throw labelConflict(id, label, wanted, current);
    const record: PromotionRecord = { id, label, from: current, to: null, actor: who, at: new Date().toISOString(), ...(message ? { message } : {}) };
    if (await moveLabelWithHistory(ctx.gitDir, ctx.reader, ctx.index.refs.historyTip, record)) {
      await ctx.refresh();
      return record;
    }
    await ctx.refresh();
  }
  throw new StoreError('label_conflict', `the promotion history of repo "${ctx.repo}" kept moving; try again`, { id, label });
}

export async function release(
  ctx: WriteContext,
  id: string,
  version: string,
  ref: string | undefined,
  notes: string | undefined,
  actor: Actor,
): Promise<ReleaseInfo> {
  validatePromptId(id);
  const semver = validateReleaseVersion(version);
  const who = validateActor(actor);
  if (notes !== undefined) checkText('release notes', notes, false);
  await ctx.refresh();
  const target = await ctx.resolve(id, ref === undefined || ref === '' ? 'HEAD' : ref);
  const exists = () => ctx.index.refs.releases.get(id)?.get(semver);
  const taken = (sha: string | undefined) =>
    new StoreError('release_exists', `release ${id}@${semver} already exists${sha ? ` at ${sha}` : ''}; releases are immutable`, { id, version: semver, sha });
  if (exists()) throw taken(exists());
  const at = new Date();
  const tag = await makeTag(ctx.gitDir, target.sha, `${id}@${semver}`, notes?.trim() ? notes : `${id} ${semver}`, who, at);
  if (!(await updateRefs(ctx.gitDir, [{ ref: releaseRef(id, semver), to: tag, from: ZERO_SHA }], 'promptforge: release'))) {
    await ctx.refresh();
    throw taken(exists());
  }
  await ctx.refresh();
  return { id, version: semver, sha: target.sha, tag, ...(notes ? { notes } : {}), actor: who, at: at.toISOString() };
}

export async function commitPrompt(ctx: WriteContext, id: string, input: CommitInput, actor: Actor): Promise<CommitResult> {
  validatePromptId(id);
  const who = validateActor(actor);
  if (typeof input !== 'object' || input === null) throw new StoreError('invalid_prompt', 'a commit needs {content, message}');
  const { content, message } = input;
  if (typeof content !== 'string') throw new StoreError('invalid_prompt', 'content must be the text of the .prompt file');
  if (content.includes('\0')) throw new StoreError('invalid_prompt', 'content contains a NUL character');
  checkText('commit message', message, true);
  const requestedPath = input.path === undefined ? undefined : validatePromptPath(input.path, id);
  const base = input.base === undefined || input.base === null || input.base === '' ? null : validateSha('base', input.base);
  const parsed = parsePromptFile(content);
  const problems = parsed.problems.filter((p) => p.severity === 'error');
  if (problems.length > 0) {
    const lines = new LineIndex(content);
    const located = problems.map((p) => ({ ...p, start: lines.position(p.range.start), end: lines.position(p.range.end) }));
    const first = located[0];
    throw new StoreError('invalid_prompt', `${id}.prompt:${first.start.line + 1}:${first.start.character + 1}: ${first.message}`, { problems: located });
  }

  await ctx.refresh();
  const refs = ctx.index.refs;
  const branch = input.branch === undefined ? refs.head : validateBranch(input.branch, !refs.branches.has(input.branch));
  const tip = refs.branches.get(branch) ?? null;
  const defaultTip = refs.branches.get(refs.head) ?? null;
  let current = await ctx.currentFile(tip ? branch : refs.head, id);
  const matches = (sha: string | null | undefined) => !!sha && !!base && sha.startsWith(base);
  // A new branch starts at the default branch, unless its author read an older version
  // of the prompt (`base`): then it starts there, so the draft is of what was read.
  const fork = !tip && base && !matches(current?.sha) && !matches(defaultTip) ? await forkPoint(ctx, id, base) : null;
  if (fork) current = fork;
  const start = tip ?? fork?.sha ?? defaultTip;
  if (current ? !(matches(current.sha) || matches(tip) || current === fork) : base !== null && !matches(start)) {
    const where = current ? `its newest version on "${branch}" is ${current.sha}` : `it does not exist on "${branch}"`;
    throw new StoreError('branch_conflict', `prompt "${id}" changed since ${base ?? 'you read it'}: ${where}`, {
      id,
      branch,
      base,
      current: current?.sha ?? null,
    });
  }
  const path = requestedPath ?? current?.path ?? `${id}.prompt`;
  const blob = await hashObject(ctx.gitDir, content);
  if (current && current.blob === blob && current.path === path && tip) return { sha: current.sha, path, branch };
  await refuseBreakage(ctx, start, id, { path, blob, file: parsed.file }, content);
  const edits: TreeEdit[] = [{ path, blob }];
  if (current && current.path !== path) edits.push({ path: current.path, blob: null });
  const tree = await writeTree(ctx.gitDir, start, edits);
  const commit = await commitTree(ctx.gitDir, tree, start ? [start] : [], message, who);
  if (!(await updateRefs(ctx.gitDir, [{ ref: branchRef(branch), to: commit, from: tip ?? ZERO_SHA }], 'promptforge: commit'))) {
    await ctx.refresh();
    throw new StoreError('branch_conflict', `branch "${branch}" moved while committing "${id}"; reload and try again`, { id, branch, base });
  }
  await ctx.refresh();
  return { sha: commit, path, branch };
}

/**
 * Refuses a new version that would leave a prompt unrenderable (include cycle, unknown
 * include, param used but declared nowhere): the written prompt must have none of these
 * errors, and a prompt that includes it must not gain one. 422 with the problem's own
 * code and its file:line:column.
 */
async function refuseBreakage(ctx: WriteContext, start: string | null, id: string, written: PromptAt, content: string): Promise<void> {
  const before = await ctx.promptFiles(start);
  const after = new Map(before).set(id, written);
  const filesOf = (m: Map<string, PromptAt>) => new Map([...m].map(([pid, at]) => [pid, at.file]));
  const affected = includers(filesOf(after), id);
  const was = checkRepo(filesOf(before), affected);
  const now = checkRepo(filesOf(after), affected);
  const broken: { id: string; problem: Problem }[] = [];
  for (const pid of affected) {
    const added = pid === id ? (now.get(pid) ?? []) : newProblems(was.get(pid) ?? [], now.get(pid) ?? []);
    for (const problem of added) if (problem.severity === 'error') broken.push({ id: pid, problem });
  }
  if (broken.length === 0) return;
  broken.sort((a, b) => (a.id === id ? -1 : b.id === id ? 1 : 0)); // the written prompt's own problems first
  const located = await Promise.all(
    broken.map(async ({ id: pid, problem }) => {
      const at = after.get(pid)!;
      const text = pid === id ? content : ((await ctx.reader.blob(at.blob))?.toString('utf8') ?? '');
      const lines = new LineIndex(text);
      return { id: pid, path: at.path, ...problem, start: lines.position(problem.range.start), end: lines.position(problem.range.end) };
    }),
  );
  const first = located[0];
  const where = `${first.path}:${first.start.line + 1}:${first.start.character + 1}`;
  const via = first.id === id ? '' : ` (this change to "${id}" breaks "${first.id}", which includes it)`;
  const more = located.length > 1 ? ` (and ${located.length - 1} more problem${located.length > 2 ? 's' : ''})` : '';
  throw new StoreError(first.code, `${where}: ${first.message}${via}${more}`, { problems: located });
}

/** A commit message or release notes: text within MAX_TEXT, no NUL (git would cut it there). */
function checkText(what: string, value: unknown, required: boolean): asserts value is string {
  const refuse = (why: string): never => {
    throw new StoreError('invalid_message', `the ${what} ${why}`, { what, limit: MAX_TEXT });
  };
  if (typeof value !== 'string') refuse(`must be text, not ${value === null ? 'null' : typeof value}`);
  const text = value as string;
  if (required && !text.trim()) refuse('is empty; say what changed');
  if (text.length > MAX_TEXT) refuse(`is ${text.length} characters long; the limit is ${MAX_TEXT} characters`);
  const nul = text.indexOf('\0');
  if (nul >= 0) refuse(`contains a NUL character at offset ${nul}`);
}

/** The commit `base` names, with the prompt as it stands there: where a new branch forks. */
async function forkPoint(ctx: WriteContext, id: string, base: string): Promise<{ sha: string; path: string; blob: string }> {
  const [sha, ...others] = ctx.index.matchSha(base);
  if (!sha || others.length > 0) {
    throw new StoreError('branch_conflict', `base ${base} names ${sha ? 'several commits' : 'no commit'} of this repository`, { id, base });
  }
  const there = await ctx.resolve(id, sha).catch(() => null);
  if (!there) throw new StoreError('branch_conflict', `prompt "${id}" does not exist at ${sha}`, { id, base, current: null });
  return { sha, path: there.path, blob: there.blob };
}

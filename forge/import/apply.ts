/**
 * Compares an import plan with the repository and, with --apply, commits what is new:
 * single-version prompts (files, promptfoo) in one commit, Langfuse histories one commit
 * per version in order, then their labels through the store (history kept, names
 * checked). A prompt already there with the same text is unchanged; with other text it
 * is a clash, listed and left alone. A work tree on the branch is brought along, so
 * `git status` stays clean.
 */
import type { ImportPlan, PlannedPrompt, Skipped } from '../../core/import/plan';
import type { PromptStore } from '../store';
import { ZERO_SHA } from '../store/git/refs';
import { commitTree, hashObject, updateRefs, writeTree, type TreeEdit } from '../store/git/plumbing';
import { gitText, runGit } from '../store/git/run';

export interface ImportOutcome {
  created: PlannedPrompt[];
  unchanged: string[];
  clashes: Skipped[];
  /** Commits written (0 in a dry run or when nothing is new). */
  commits: number;
  labels: string[];
}

export async function compare(store: PromptStore, plan: ImportPlan): Promise<ImportOutcome> {
  const outcome: ImportOutcome = { created: [], unchanged: [], clashes: [], commits: 0, labels: [] };
  const existing = new Map(store.listPrompts().map((p) => [p.id, p]));
  for (const prompt of plan.prompts) {
    const there = existing.get(prompt.id);
    if (!there) {
      outcome.created.push(prompt);
      continue;
    }
    const source = (await store.resolve(prompt.id)).source;
    if (source === prompt.versions.at(-1)!.content) outcome.unchanged.push(prompt.id);
    else outcome.clashes.push({ source: prompt.source, reason: `"${prompt.id}" is already in the repository (${there.path}) with other text; rename the file or remove the prompt first` });
  }
  return outcome;
}

export async function applyImport(store: PromptStore, outcome: ImportOutcome, actor: { name: string }, summary: string): Promise<ImportOutcome> {
  if (outcome.created.length === 0) return outcome;
  const branch = `refs/heads/${store.defaultBranch()}`;
  const start = (await gitText(store.gitDir, ['for-each-ref', '--format=%(objectname)', branch])) || null;
  let tip = start;
  const commit = async (edits: TreeEdit[], message: string) => {
    const tree = await writeTree(store.gitDir, tip, edits);
    tip = await commitTree(store.gitDir, tree, tip ? [tip] : [], message, actor);
    outcome.commits++;
    return tip;
  };
  const file = async (path: string, content: string): Promise<TreeEdit> => ({ path, blob: await hashObject(store.gitDir, content) });

  const single = outcome.created.filter((p) => p.versions.length === 1);
  if (single.length > 0) {
    const edits: TreeEdit[] = [];
    for (const p of single) {
      edits.push(await file(`${p.id}.prompt`, p.versions[0].content));
      if (p.suite) edits.push(await file(`${p.id}.test.yaml`, p.suite));
    }
    await commit(edits, `${summary}\n\n${single.map((p) => `- ${p.id} (from ${p.source})`).join('\n')}\n`);
  }
  const labelTargets: { id: string; label: string; sha: string }[] = [];
  for (const p of outcome.created.filter((x) => x.versions.length > 1)) {
    for (const [i, version] of p.versions.entries()) {
      const edits = [await file(`${p.id}.prompt`, version.content)];
      if (i === p.versions.length - 1 && p.suite) edits.push(await file(`${p.id}.test.yaml`, p.suite));
      const sha = await commit(edits, version.message);
      for (const label of version.labels) labelTargets.push({ id: p.id, label, sha });
    }
  }
  for (const p of single) for (const label of p.versions[0].labels) labelTargets.push({ id: p.id, label, sha: tip! });

  await moveWorkTree(store, branch, start, tip!);
  if (!(await updateRefs(store.gitDir, [{ ref: branch, to: tip!, from: start ?? ZERO_SHA }], 'promptforge: import'))) {
    await moveWorkTree(store, branch, tip!, start);
    throw new Error(`${branch} moved while the import was written; nothing was imported, run it again`);
  }
  await store.refresh();
  // The last version carrying a label wins, as in the source.
  const latest = new Map(labelTargets.map((t) => [`${t.id}/${t.label}`, t]));
  for (const t of latest.values()) {
    await store.promote(t.id, t.label, t.sha, null, actor);
    outcome.labels.push(`${t.id}/${t.label}`);
  }
  return outcome;
}

/** When the branch is checked out in a work tree, moves index and files along (refusing to overwrite local edits). */
async function moveWorkTree(store: PromptStore, branch: string, from: string | null, to: string | null): Promise<void> {
  if (store.gitDir === store.dir || to === null) return;
  const head = await gitText(store.gitDir, ['symbolic-ref', '-q', 'HEAD']).catch(() => '');
  if (head !== branch) return;
  await runGit(store.gitDir, ['--work-tree', store.dir, 'read-tree', '-m', '-u', ...(from ? [from] : []), to]);
}

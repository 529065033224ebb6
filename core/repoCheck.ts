/**
 * Checks that need the whole repo, not one file: includes that name no prompt, include
 * cycles (a prompt including itself, A ↔ B), problems inside what a prompt includes,
 * params used but declared nowhere, and params declared but never used. The forge
 * refuses a write that would add such an error, lists them beside each prompt, and
 * `promptforge lint` prints them; the include walk is the renderer's own (renderPrompt),
 * so a check passes exactly when a render can.
 */
import { paramUsageProblems, renderPrompt, templatePartials } from './template';
import type { PromptFile } from './promptFile';
import type { Problem } from './text';

/** Problems about the values a caller passes, not about the repo: a check passes no values. */
const VALUE_CODES: ReadonlySet<string> = new Set(['missing_param', 'unknown_param', 'invalid_param_value']);

/**
 * Problems of one prompt that depend on the others; ranges are offsets in its source
 * text. A param used but declared nowhere is an error (it would always render empty);
 * one declared but never used is a warning.
 */
export function promptRepoProblems(id: string, file: PromptFile, lookup: (id: string) => PromptFile | undefined): Problem[] {
  const problems: Problem[] = [];
  // Without includes a render only finds what parsing the file already reported.
  if (templatePartials(file.body).length > 0) {
    for (const p of renderPrompt(file, {}, lookup, { id }).problems) if (!VALUE_CODES.has(p.code)) problems.push(stripParam(p));
  }
  for (const p of paramUsageProblems(file, lookup)) problems.push(p.code === 'undeclared_param' ? { ...p, severity: 'error' } : p);
  return problems;
}

/** Repo problems of `ids` (default: every prompt), by id; prompts without problems are left out. */
export function checkRepo(files: ReadonlyMap<string, PromptFile>, ids: Iterable<string> = files.keys()): Map<string, Problem[]> {
  const lookup = (pid: string) => files.get(pid);
  const found = new Map<string, Problem[]>();
  for (const id of ids) {
    const file = files.get(id);
    if (!file) continue;
    const problems = promptRepoProblems(id, file, lookup);
    if (problems.length > 0) found.set(id, problems);
  }
  return found;
}

/** `id` and every prompt that includes it, directly or through others: what a change to `id` can break. */
export function includers(files: ReadonlyMap<string, PromptFile>, id: string): Set<string> {
  const includedBy = new Map<string, string[]>();
  for (const [pid, file] of files) {
    for (const partial of templatePartials(file.body)) {
      const list = includedBy.get(partial.id);
      if (list) list.push(pid);
      else includedBy.set(partial.id, [pid]);
    }
  }
  const found = new Set<string>([id]);
  const pending = [id];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    for (const pid of includedBy.get(next) ?? []) {
      if (!found.has(pid)) {
        found.add(pid);
        pending.push(pid);
      }
    }
  }
  return found;
}

/** The problems of `after` that `before` did not have (same code and message): what a change introduced. */
export function newProblems(before: readonly Problem[], after: readonly Problem[]): Problem[] {
  const seen = new Set(before.map((p) => `${p.code}\0${p.message}`));
  return after.filter((p) => !seen.has(`${p.code}\0${p.message}`));
}

function stripParam(p: Problem & { param?: string }): Problem {
  const { param: _param, ...rest } = p;
  return rest;
}

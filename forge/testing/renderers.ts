/**
 * How a suite renders its prompt: from the working tree (the files as they are on
 * disk, includes from the same repository folder) or from the store at a version.
 */
import { readFileSync } from 'node:fs';
import { parsePromptFile, type PromptFile } from '../../core/promptFile';
import { renderPrompt } from '../../core/template';
import type { RenderedPrompt } from '../../core/testSuite/run';
import { isStoreError, type PromptStore } from '../store';

export type Render = (vars: Record<string, unknown>) => Promise<RenderedPrompt>;

export function workingTreeRenderer(id: string, file: PromptFile, promptPaths: Map<string, string>): Render {
  const partials = new Map<string, PromptFile | undefined>();
  const lookup = (pid: string) => {
    if (!partials.has(pid)) {
      const path = promptPaths.get(pid);
      partials.set(pid, path === undefined ? undefined : parsePromptFile(readFileSync(path, 'utf8')).file);
    }
    return partials.get(pid);
  };
  return async (vars) => {
    const result = renderPrompt(file, vars, lookup, { id });
    const errors = result.problems.filter((p) => p.severity === 'error').map((p) => p.message);
    return errors.length ? { errors } : { text: result.text, messages: result.messages };
  };
}

/** Renders the prompt as of `sha` (a resolved version), includes at the same commit. */
export function storeRenderer(store: PromptStore, id: string, sha: string): Render {
  return async (vars) => {
    try {
      const rendered = await store.render(id, sha, vars);
      return { text: rendered.text, messages: rendered.messages };
    } catch (error) {
      if (!isStoreError(error)) throw error;
      const problems = (error.details as { problems?: { message: string }[] } | undefined)?.problems;
      return { errors: problems?.map((p) => p.message) ?? [error.message] };
    }
  };
}

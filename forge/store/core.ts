/**
 * What the store takes from core/: version resolution, the prompt file model and
 * rendering, with core's problems turned into StoreErrors.
 */
import { parsePromptFile, type PromptFile } from '../../core/promptFile';
import { renderPrompt, type ChatMessage } from '../../core/template';
import { resolveVersion, type PromptCommit, type VersionKind, type VersionSource } from '../../core/version';
import type { Problem } from '../../core/text';
import { StoreError } from './errors';

export type { ChatMessage, PromptCommit, PromptFile, VersionKind, VersionSource };
export { parsePromptFile };

/** Resolves a spec through core's precedence table, or throws a StoreError with core's code and message. */
export function resolveSpec(spec: string, source: VersionSource): { sha: string; kind: VersionKind } {
  const result = resolveVersion(spec, source);
  if (!result.ok) throw new StoreError(result.code, result.message, { version: spec, candidates: result.candidates });
  return { sha: result.sha, kind: result.kind };
}

/** Renders or throws a StoreError named after the first problem (`missing_param`, `unknown_partial`, …). */
export function renderFile(
  id: string,
  file: PromptFile,
  params: Record<string, unknown>,
  partial: (id: string) => PromptFile | undefined,
  opts: { fromStrings?: boolean },
): { text?: string; messages?: ChatMessage[]; values: Record<string, unknown> } {
  const result = renderPrompt(file, params, partial, { ...opts, id });
  const errors = result.problems.filter((p: Problem) => p.severity === 'error');
  if (errors.length > 0) {
    const first = errors[0];
    const message = errors.length === 1 ? first.message : `${first.message} (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})`;
    throw new StoreError(first.code, `${id}: ${message}`, { problems: errors });
  }
  return { ...(result.text !== undefined ? { text: result.text } : {}), ...(result.messages ? { messages: result.messages } : {}), values: result.values };
}

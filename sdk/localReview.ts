/**
 * Review with an LLM for local mode: the editor reviews a prompt of a local folder in
 * process, with its own endpoint, and applies a suggestion as a draft branch, the way a
 * forge does for its repos. Apart from local.ts so apps that use the SDK never load it.
 */
import { applyDraft, reviewVersion, type ReviewResult } from '../forge/review/review';
import type { LlmConfig } from '../forge/review/llm';
import type { Actor, CommitResult, PromptStore } from '../forge/store';

/** Reviews a version from the file alone: a folder records no usage. */
export function reviewLocal(store: PromptStore, repo: string, id: string, request: { version?: string; instruction?: string }, llm: LlmConfig): Promise<ReviewResult> {
  return reviewVersion({ store }, repo, id, request, llm);
}

/** Commits a revised file on a new `review/ID-YYYYMMDD` branch of the store. */
export function applyLocalDraft(store: PromptStore, id: string, input: { content: string; base: string; message?: string }, actor: Actor): Promise<CommitResult> {
  return applyDraft(store, id, input, actor);
}

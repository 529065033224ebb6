// Review with LLM: ask for a review of one version, show its revised file beside the
// reviewed one, and apply it as a draft on its own `review/ID-DATE` branch. A forge
// reviews with its own endpoint (and its metrics and consented samples); a local folder
// is reviewed in the language server with the editor's endpoint.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import * as P from '../../server/src/protocol';
import { versionUri } from './documents';
import { PROMPT_LANGUAGE } from './languageClient';
import type { ApiKeys } from './secrets';
import type { PromptRef } from './tree';

export async function requestReview(client: LanguageClient, keys: ApiKeys, ref: PromptRef, version: string, instruction?: string): Promise<P.Review> {
  const { hosts } = await client.sendRequest(P.HostStatusRequest, undefined);
  const local = hosts.find((h) => h.name === ref.host)?.kind === 'local';
  const llm = local ? await editorEndpoint(keys) : undefined;
  return client.sendRequest(P.ReviewRequest, { ...ref, version, ...(instruction?.trim() ? { instruction: instruction.trim() } : {}), ...(llm ? { llm } : {}) });
}

async function editorEndpoint(keys: ApiKeys): Promise<P.LlmEndpoint | undefined> {
  const config = vscode.workspace.getConfiguration('promptforge');
  const url = config.get<string>('llm.endpoint');
  if (!url) return undefined;
  const apiKey = await keys.llmKey();
  return { url, model: config.get<string>('llm.model', 'gpt-4o-mini'), ...(apiKey ? { apiKey } : {}) };
}

/** The reviewed version on the left, the suggestion (an unsaved document) on the right. */
export async function openReviewDiff(ref: PromptRef, review: P.Review): Promise<void> {
  if (review.revised === null) return;
  const suggestion = await vscode.workspace.openTextDocument({ content: review.revised, language: PROMPT_LANGUAGE });
  await vscode.commands.executeCommand('vscode.diff', versionUri(ref, review.sha), suggestion.uri, `${ref.id}: ${review.sha.slice(0, 7)} ↔ review suggestion`, { preview: true });
}

export function applyReview(client: LanguageClient, ref: PromptRef, review: P.Review): Promise<P.ApplyReviewResult> {
  const first = review.suggestions[0]?.title;
  const message = `Review suggestion${first ? `: ${first}` : ''}\n\n${review.summary}`.trim();
  return client.sendRequest(P.ApplyReviewRequest, { ...ref, content: review.revised!, base: review.sha, message });
}

/**
 * What the store takes from core/: version resolution, the prompt file model and
 * rendering, with core's problems turned into StoreErrors.
 */
import { parsePromptFile, type PromptFile } from '../../core/promptFile';
import { renderPrompt, type ChatMessage } from '../../core/template';
import type { Problem } from '../../core/text';
import { StoreError } from './errors';

export type { PromptFile, ChatMessage };
export { parsePromptFile };

export interface PromptCommit {
  sha: string;
  author: string;
  email?: string;
  date: string;
  message: string;
}

export interface VersionSource {
  defaultBranch: string;
  branches: Record<string, PromptCommit[]>;
  labels: Record<string, string>;
  releases: Record<string, string>;
  matchSha(prefix: string): string[];
  historyAt(sha: string): PromptCommit[];
}

export function resolveSpec(spec: string, source: VersionSource): { sha: string; kind: string } {
  const tilde = /^(.*)~(\d+)$/.exec(spec);
  const base = tilde ? tilde[1] : spec;
  let sha: string | undefined;
  let kind = 'head';
  if (base === 'HEAD') sha = source.branches[source.defaultBranch]?.[0]?.sha;
  else if (base.endsWith('/HEAD')) sha = source.branches[base.slice(0, -5)]?.[0]?.sha;
  else if (source.labels[base]) [sha, kind] = [source.labels[base], 'label'];
  else if (source.releases[base.replace(/^v/, '')]) [sha, kind] = [source.releases[base.replace(/^v/, '')], 'release'];
  else if (source.branches[base]) [sha, kind] = [source.branches[base][0]?.sha, 'branch'];
  else if (/^[0-9a-f]{7,40}$/i.test(base)) {
    const found = source.matchSha(base);
    if (found.length > 1) throw new StoreError('ambiguous_version', `${base} matches ${found.join(', ')}`);
    [sha, kind] = [found[0], 'sha'];
  }
  if (!sha) throw new StoreError('version_not_found', `no version ${JSON.stringify(spec)}`);
  if (tilde) {
    sha = source.historyAt(sha)[Number(tilde[2])]?.sha;
    if (!sha) throw new StoreError('version_not_found', `no version ${JSON.stringify(spec)}`);
  }
  return { sha, kind };
}

/** Problems about the values given, as opposed to problems in the stored template. */
const PARAM_CODES = new Set(['missing_param', 'unknown_param', 'invalid_param_value']);

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
    const status = PARAM_CODES.has(first.code) ? 400 : 422;
    const message = errors.length === 1 ? first.message : `${first.message} (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})`;
    throw new StoreError(first.code, `${id}: ${message}`, { problems: errors }, status);
  }
  return { ...(result.text !== undefined ? { text: result.text } : {}), ...(result.messages ? { messages: result.messages } : {}), values: result.values };
}

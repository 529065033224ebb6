/**
 * Review with an LLM, and applying a suggestion as a draft. A review only reads; a
 * draft is a commit on its own `review/ID-YYYYMMDD[-n]` branch, so the default branch
 * and every label stay where they are until someone promotes the draft.
 */
import { createTwoFilesPatch } from 'diff';
import { parsePromptFile } from '../../core/promptFile';
import { LineIndex } from '../../core/text';
import type { ReviewResult } from '../../core/wire';
import type { Actor, CommitInput, CommitResult, ResolvedPrompt } from '../store/types';
import type { VersionMetrics } from '../usage/tally';
import type { Sample } from '../usage/types';
import { buildBundle, MAX_SAMPLES, reviewMessages, type ReviewBundle } from './bundle';
import { ReviewError } from './errors';
import { complete, type LlmConfig } from './llm';
import { parseReviewAnswer } from './parse';

export type { ReviewResult };

export async function review(bundle: ReviewBundle, llm: LlmConfig | undefined, instruction?: string): Promise<ReviewResult> {
  if (!llm?.url || !llm.model) {
    throw new ReviewError('llm_not_configured', 'no review endpoint: set llm.url and llm.model in forge.yaml');
  }
  const completion = await complete(llm, reviewMessages(bundle, instruction));
  const answer = parseReviewAnswer(completion.content);
  const unchanged = answer.revised === null || answer.revised === bundle.source;
  return {
    repo: bundle.repo,
    id: bundle.id,
    sha: bundle.sha,
    ...answer,
    revised: unchanged ? null : answer.revised,
    diff: unchanged ? null : createTwoFilesPatch(`${bundle.id}.prompt`, `${bundle.id}.prompt`, bundle.source, answer.revised!, bundle.sha.slice(0, 12), 'review'),
    model: completion.model,
    usage: completion.usage,
    samples: bundle.samples.length,
    problems: unchanged ? [] : problemsOf(answer.revised!),
  };
}

/** Where a review reads the version, and (on a forge) its metrics and consented samples. */
export interface ReviewSources {
  store: { resolve(id: string, version?: string): Promise<ResolvedPrompt> };
  /** Absent where nothing records usage (a plain git folder): the review has the file only. */
  usage?: {
    metrics(repo: string, id: string, query: { sha: string }): { versions: VersionMetrics[] } | Promise<{ versions: VersionMetrics[] }>;
    samples(repo: string, id: string, options: { sha: string; limit: number }): Sample[] | Promise<Sample[]>;
  };
}

/** Reviews one version of a prompt (the default branch's newest when `version` is absent). */
export async function reviewVersion(
  sources: ReviewSources,
  repo: string,
  id: string,
  request: { version?: string; instruction?: string },
  llm: LlmConfig | undefined,
): Promise<ReviewResult> {
  const version = await sources.store.resolve(id, request.version);
  const bundle = buildBundle({
    repo,
    id,
    sha: version.sha,
    release: version.release ?? null,
    labels: version.labels,
    source: version.source,
    template: version.file.body,
    params: version.file.params,
    metrics: (await sources.usage?.metrics(repo, id, { sha: version.sha }))?.versions[0] ?? null,
    samples: (await sources.usage?.samples(repo, id, { sha: version.sha, limit: MAX_SAMPLES })) ?? [],
  });
  return review(bundle, llm, request.instruction);
}

function problemsOf(content: string): ReviewResult['problems'] {
  const lines = new LineIndex(content);
  return parsePromptFile(content)
    .problems.filter((p) => p.severity === 'error')
    .map((p) => {
      const at = lines.position(p.range.start);
      return { code: p.code, message: p.message, line: at.line + 1, column: at.character + 1 };
    });
}

/** The part of the prompt store a draft needs. */
export interface DraftTarget {
  branches(): string[];
  defaultBranch(): string;
  commitPrompt(id: string, input: CommitInput, actor: Actor): Promise<CommitResult>;
}

export interface DraftInput {
  content: string;
  /** The reviewed version the suggestion starts from. */
  base: string;
  message?: string;
}

/** `review/ID-YYYYMMDD`, or with `-2`, `-3`… when that branch already exists. */
export function draftBranch(id: string, existing: Iterable<string>, now: Date): string {
  const taken = new Set(existing);
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  const stem = `review/${id}-${day}`;
  let name = stem;
  for (let n = 2; taken.has(name); n++) name = `${stem}-${n}`;
  return name;
}

export async function applyDraft(target: DraftTarget, id: string, input: DraftInput, actor: Actor, now = new Date()): Promise<CommitResult> {
  if (typeof input.content !== 'string' || !input.content.trim()) {
    throw new ReviewError('invalid_draft', '"content" must be the complete prompt file');
  }
  if (typeof input.base !== 'string' || !input.base) {
    throw new ReviewError('invalid_draft', '"base" must be the reviewed version (the "sha" of the review)');
  }
  const branch = draftBranch(id, target.branches(), now);
  if (branch === target.defaultBranch()) {
    throw new ReviewError('branch_conflict', `refusing to commit a draft on the default branch ${branch}`);
  }
  return target.commitPrompt(
    id,
    { content: input.content, base: input.base, branch, message: input.message?.trim() || `Review suggestion for ${id}` },
    actor,
  );
}

/**
 * What the store takes from core/: version resolution, the prompt file model, rendering.
 */
import YAML from 'yaml';
import type { Problem } from '../../core/text';
import { StoreError } from './errors';

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

export interface PromptFile {
  type?: 'text' | 'chat';
  description?: string;
  params?: Record<string, unknown>;
  tags?: string[];
  status?: 'draft' | 'active' | 'deprecated';
  body?: string;
  [key: string]: unknown;
}

export function parsePrompt(text: string): { file: PromptFile; problems: Problem[] } {
  const match = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(text);
  if (!match) return { file: { body: text }, problems: [] };
  try {
    return { file: { ...(YAML.parse(match[1]) ?? {}), body: match[2] }, problems: [] };
  } catch (error) {
    return { file: { body: match[2] }, problems: [{ code: 'invalid_yaml', message: String(error), range: { start: 4, end: 4 + match[1].length }, severity: 'error' }] };
  }
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

export function renderFile(file: PromptFile, params: Record<string, unknown>, partial: (id: string) => PromptFile | undefined, _opts: { fromStrings?: boolean }): { text?: string; values: Record<string, unknown> } {
  const text = (file.body ?? '').replace(/\{\{>\s*([\w.-]+)\s*\}\}/g, (_m, id: string) => partial(id)?.body ?? '').replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_m, k: string) => String(params[k] ?? ''));
  return { text, values: params };
}

/**
 * What an import would write: prompts (each with one or more versions, oldest first,
 * and the labels each version carries), their test suites, and everything skipped with
 * the reason. Sources (files, a Langfuse export, a promptfoo config) build a plan; the
 * forge shows it (dry run) or commits it.
 */
import type { ChatRole } from '../chat';
import type { ParamSchema, PromptFile } from '../promptFile';
import { serializePromptFile } from '../promptFile';
import type { Converted } from './placeholders';

export interface PlannedVersion {
  /** The whole `.prompt` file. */
  content: string;
  message: string;
  labels: string[];
}

export interface PlannedPrompt {
  id: string;
  /** Where it came from, for the summary: a file path, `langfuse:NAME`… */
  source: string;
  versions: PlannedVersion[];
  /** An `ID.test.yaml` to write beside it. */
  suite?: string;
}

export interface Skipped {
  source: string;
  reason: string;
}

export interface ImportPlan {
  prompts: PlannedPrompt[];
  skipped: Skipped[];
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A prompt id from a name in another tool: invalid characters become `-`; undefined when nothing usable is left. */
export function idFrom(name: string): string | undefined {
  const id = name
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/-+$/, '');
  return ID.test(id) && id.length <= 100 ? id : undefined;
}

export interface PromptMeta {
  type?: PromptFile['type'];
  description?: string;
  tags?: string[];
  model?: Record<string, unknown>;
}

/** The `.prompt` file for a converted body: every name a required string param, every section a boolean. */
export function promptText(converted: Converted, meta: PromptMeta = {}): string {
  const params: Record<string, ParamSchema> = {};
  for (const name of converted.params) params[name] = { type: 'string', required: true };
  for (const name of converted.sections) params[name] = { type: 'boolean', default: false };
  const file: PromptFile = {
    type: meta.type ?? 'text',
    ...(meta.description ? { description: meta.description } : {}),
    params,
    tags: meta.tags ?? [],
    ...(meta.model && Object.keys(meta.model).length ? { model: meta.model } : {}),
    status: 'active',
    body: converted.body,
    bodyStart: 0,
    data: {},
    ranges: { params: {}, keys: {} },
  };
  return serializePromptFile(file);
}

/** A chat body in the role-line convention: `system:` / `user:` / `assistant:` lines open each message. */
export function chatBody(messages: { role: ChatRole; content: string }[]): string {
  return messages.map((m) => `${m.role}:\n${m.content.replace(/\s+$/, '')}\n`).join('');
}

/** Adds a prompt to a plan unless its id is taken, in which case the newcomer is listed as a clash. */
export function addPrompt(plan: ImportPlan, prompt: PlannedPrompt): void {
  const taken = plan.prompts.find((p) => p.id === prompt.id);
  if (taken) plan.skipped.push({ source: prompt.source, reason: `its id "${prompt.id}" is already taken by ${taken.source}` });
  else plan.prompts.push(prompt);
}

/**
 * What the index knows about one reference: its host, repo, prompt and what its
 * version resolves to now. Computed once per reference and shared by diagnostics,
 * hover, inlay hints and code actions.
 */
import type { PromptTarget } from '../protocol';
import type { Settings } from '../settings';
import type { IndexedHost, IndexedPrompt, IndexedRepo, PromptIndex } from './model';
import { targetOf, type PromptReference } from './reference';
import { resolveVersion, type Resolution } from './resolve';

export interface ReferenceFacts {
  ref: PromptReference;
  target?: PromptTarget;
  host?: IndexedHost;
  repo?: IndexedRepo;
  prompt?: IndexedPrompt;
  /** The version spec in effect: as written, else the configured default. */
  spec: string;
  resolution?: Resolution;
  /** True when the host has data to judge the reference by. */
  known: boolean;
}

export function lookup(ref: PromptReference, index: PromptIndex, settings: Settings): ReferenceFacts {
  const target = targetOf(ref);
  const spec = ref.version?.value || settings.defaultVersion;
  const facts: ReferenceFacts = { ref, spec, known: false, ...(target ? { target } : {}) };
  if (!target) return facts;
  const host = index.host(target.host);
  if (!host) return facts;
  facts.host = host;
  facts.known = host.repos.size > 0 || host.state === 'connected';
  const repo = host.repos.get(target.repo);
  if (!repo) return facts;
  facts.repo = repo;
  const prompt = repo.prompts.get(target.id);
  if (!prompt) return facts;
  facts.prompt = prompt;
  facts.resolution = resolveVersion(prompt, repo, spec);
  return facts;
}

/**
 * The in-memory index every feature answers from: hosts → repos → prompts → versions.
 * Sources fill it in the background; features only read it, so no request waits on
 * the network or on git.
 */
import type { HostState, ParamsSchema, VersionNode } from '../protocol';

export interface IndexedPrompt {
  host: string;
  repo: string;
  id: string;
  description?: string;
  status: 'draft' | 'active' | 'deprecated';
  type: 'text' | 'chat';
  tags: string[];
  /** Schema of the newest version on the default branch. */
  params: ParamsSchema;
  /** label → full SHA */
  labels: Record<string, string>;
  /** release version (no `v`) → full SHA */
  releases: Record<string, string>;
  /** History on the default branch, newest first; empty until loaded. */
  versions: VersionNode[];
  /** SHA of the newest version on the default branch. */
  head?: string;
  /** Path of the `.prompt` file in the repo. */
  path?: string;
}

export interface IndexedRepo {
  name: string;
  /** Absolute work-tree folder of a local repo, when it has one. */
  workTree?: string;
  branches: string[];
  defaultBranch: string;
  prompts: Map<string, IndexedPrompt>;
}

export interface IndexedHost {
  name: string;
  kind: 'remote' | 'local';
  location: string;
  state: HostState;
  message?: string;
  syncedAt?: string;
  repos: Map<string, IndexedRepo>;
}

export class PromptIndex {
  readonly hosts = new Map<string, IndexedHost>();

  host(name: string): IndexedHost | undefined {
    return this.hosts.get(name);
  }

  repo(host: string, repo: string): IndexedRepo | undefined {
    return this.hosts.get(host)?.repos.get(repo);
  }

  prompt(host: string, repo: string, id: string): IndexedPrompt | undefined {
    return this.hosts.get(host)?.repos.get(repo)?.prompts.get(id);
  }

  *allPrompts(): Iterable<IndexedPrompt> {
    for (const host of this.hosts.values()) {
      for (const repo of host.repos.values()) yield* repo.prompts.values();
    }
  }

  promptCount(): number {
    let count = 0;
    for (const host of this.hosts.values()) for (const repo of host.repos.values()) count += repo.prompts.size;
    return count;
  }
}

/** The version entry for a full SHA, if the prompt's loaded history has it. */
export function versionBySha(prompt: IndexedPrompt, sha: string): VersionNode | undefined {
  return prompt.versions.find((v) => v.sha === sha);
}

/** Labels currently pointing at `sha`. */
export function labelsAt(prompt: IndexedPrompt, sha: string): string[] {
  return Object.entries(prompt.labels)
    .filter(([, target]) => target === sha)
    .map(([label]) => label)
    .sort();
}

/** Highest release tagging `sha`. */
export function releaseAt(prompt: IndexedPrompt, sha: string): string | undefined {
  return versionBySha(prompt, sha)?.release ?? Object.entries(prompt.releases).find(([, target]) => target === sha)?.[0];
}

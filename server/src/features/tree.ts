/** The Prompt Forge view's data: hosts → repos → prompts with labels, releases, history. */
import type { IndexedPrompt, PromptIndex } from '../index/model';
import { formatPromptUri } from '../index/reference';
import type { HostNode, PromptNode, TreeResult } from '../protocol';

const historyShown = 10;

export function tree(index: PromptIndex, onlyHost?: string): TreeResult {
  const hosts: HostNode[] = [];
  for (const host of index.hosts.values()) {
    if (onlyHost && host.name !== onlyHost) continue;
    hosts.push({
      name: host.name,
      kind: host.kind,
      location: host.location,
      state: host.state,
      ...(host.message ? { message: host.message } : {}),
      repos: [...host.repos.values()].map((repo) => ({ name: repo.name, prompts: [...repo.prompts.values()].map(promptNode) })),
    });
  }
  return { hosts };
}

export function promptNode(prompt: IndexedPrompt): PromptNode {
  const releaseOf = (sha: string) => prompt.versions.find((v) => v.sha === sha)?.release;
  return {
    id: prompt.id,
    uri: formatPromptUri({ host: prompt.host, repo: prompt.repo, id: prompt.id }),
    ...(prompt.description ? { description: prompt.description } : {}),
    status: prompt.status,
    type: prompt.type,
    tags: prompt.tags,
    params: prompt.params,
    labels: Object.entries(prompt.labels)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, sha]) => {
        const release = releaseOf(sha);
        return { name, sha, ...(release ? { release } : {}) };
      }),
    releases: Object.entries(prompt.releases)
      .sort(([a], [b]) => b.localeCompare(a, undefined, { numeric: true }))
      .map(([version, sha]) => ({ version, sha })),
    history: prompt.versions.slice(0, historyShown),
  };
}

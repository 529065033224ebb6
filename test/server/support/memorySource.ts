/**
 * A host whose prompts are given as data: for index states a git fixture cannot make
 * cheaply (10,000 prompts, two versions sharing a SHA prefix). Reads only.
 */
import type { IndexedPrompt, IndexedRepo } from '../../../server/src/index/model';
import { SourceError, type HostSource, type RenderedVersion } from '../../../server/src/index/source';
import type { SourceFactory } from '../../../server/src/index/hosts';
import type { VersionNode } from '../../../server/src/protocol';

export function memoryFactory(hosts: Record<string, IndexedRepo[]>, fallback?: SourceFactory): SourceFactory {
  return (host, config, apiKey) => {
    const repos = hosts[host];
    if (repos) return new MemorySource(repos);
    if (!fallback) throw new Error(`no memory host ${host}`);
    return fallback(host, config, apiKey);
  };
}

class MemorySource implements HostSource {
  readonly kind = 'remote';
  readonly location = 'memory:';

  constructor(private readonly repos: IndexedRepo[]) {}

  async load(): Promise<IndexedRepo[]> {
    return this.repos;
  }

  follow(): () => void {
    return () => {};
  }

  async content(repo: string, id: string, version: string): Promise<{ sha: string; source: string }> {
    return { sha: version, source: `${repo}/${id}@${version}` };
  }

  async render(repo: string, id: string, version: string, params: Record<string, unknown>): Promise<RenderedVersion> {
    return { sha: version, type: 'text', text: `${repo}/${id}@${version} ${JSON.stringify(params)}`, template: '', params: {}, labels: [] };
  }

  async diff(): Promise<never> {
    throw new SourceError('method_not_allowed', 'memory hosts do not diff');
  }
  async promote(): Promise<never> {
    throw new SourceError('method_not_allowed', 'memory hosts are read-only');
  }
  async release(): Promise<never> {
    throw new SourceError('method_not_allowed', 'memory hosts are read-only');
  }
  async commitPrompt(): Promise<never> {
    throw new SourceError('method_not_allowed', 'memory hosts are read-only');
  }
  async review(): Promise<never> {
    throw new SourceError('method_not_allowed', 'memory hosts do not review');
  }
  async applyReview(): Promise<never> {
    throw new SourceError('method_not_allowed', 'memory hosts are read-only');
  }
  async close(): Promise<void> {}
}

/** A repo of `count` prompts named p00000…, each with a few versions, labels and releases. */
export function generatedRepo(host: string, name: string, count: number): IndexedRepo {
  const prompts = new Map<string, IndexedPrompt>();
  for (let i = 0; i < count; i++) {
    const id = `p${String(i).padStart(5, '0')}`;
    const versions: VersionNode[] = [3, 2, 1].map((n) => ({
      sha: sha(i * 10 + n),
      ...(n < 3 ? { release: `1.${n - 1}.0` } : {}),
      labels: n === 2 ? ['production'] : n === 3 ? ['staging'] : [],
      author: 'Generator',
      date: '2026-01-01T00:00:00Z',
      message: `revision ${n} of ${id}`,
    }));
    prompts.set(id, {
      host,
      repo: name,
      id,
      description: `Generated prompt ${i}`,
      status: 'active',
      type: 'text',
      tags: [],
      params: { name: { type: 'string', required: true }, tier: { type: 'string', enum: ['free', 'premium'], default: 'free' } },
      labels: { production: sha(i * 10 + 2), staging: sha(i * 10 + 3) },
      releases: { '1.0.0': sha(i * 10 + 1), '1.1.0': sha(i * 10 + 2) },
      versions,
      head: sha(i * 10 + 3),
    });
  }
  return { name, branches: ['main'], defaultBranch: 'main', prompts };
}

export function sha(n: number): string {
  return n.toString(16).padStart(8, '0').repeat(5);
}

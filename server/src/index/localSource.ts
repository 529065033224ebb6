/**
 * A local host: a folder holding one git repo or a folder of repos, opened through the
 * SDK's local mode (sdk/local.ts: the prompt store in process, no server) and followed
 * by its change feed. This file only adapts its answers to the index's shapes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { localFailure, LocalRepos, type PromptStore } from '../../../sdk/local';
import { applyLocalDraft, reviewLocal } from '../../../sdk/localReview';
import type { Draft, ParamsSchema, Review, VersionNode } from '../protocol';
import type { IndexedPrompt, IndexedRepo } from './model';
import { SourceError, type HostSource, type RenderedVersion, type ReviewInput } from './source';

const actor = { name: 'Prompt Forge editor' };

export class LocalSource implements HostSource {
  readonly kind = 'local';
  private readonly repos: LocalRepos;

  constructor(
    private readonly host: string,
    readonly location: string,
  ) {
    this.repos = new LocalRepos(location);
  }

  async load(): Promise<IndexedRepo[]> {
    const stores = await this.open();
    const repos: IndexedRepo[] = [];
    for (const store of stores.values()) {
      await store.refresh();
      repos.push(this.snapshot(store));
    }
    return repos;
  }

  follow(onChange: (repo: string, id?: string) => void): () => void {
    return this.repos.follow(onChange);
  }

  async content(repo: string, id: string, version: string): Promise<{ sha: string; source: string }> {
    const resolved = await this.call(repo, (store) => store.resolve(id, version));
    return { sha: resolved.sha, source: resolved.source };
  }

  async render(repo: string, id: string, version: string, params: Record<string, unknown>): Promise<RenderedVersion> {
    const rendered = await this.call(repo, (store) => store.render(id, version, params, { fromStrings: true }));
    return {
      sha: rendered.sha,
      type: rendered.file.type === 'chat' ? 'chat' : 'text',
      ...(rendered.text !== undefined ? { text: rendered.text } : {}),
      ...(rendered.messages ? { messages: rendered.messages } : {}),
      template: typeof rendered.file.body === 'string' ? rendered.file.body : '',
      params: (rendered.file.params ?? {}) as ParamsSchema,
      ...(rendered.release ? { release: rendered.release } : {}),
      labels: rendered.labels,
    };
  }

  async diff(repo: string, id: string, from: string, to: string): Promise<{ fromSha: string; toSha: string; patch: string }> {
    const result = await this.call(repo, (store) => store.diff(id, from, to));
    return { fromSha: result.from.sha, toSha: result.to.sha, patch: result.patch };
  }

  async promote(repo: string, id: string, label: string, version: string, expected: string | null): Promise<{ from: string | null; to: string }> {
    const record = await this.call(repo, (store) => store.promote(id, label, version, expected, actor));
    return { from: record.from, to: record.to };
  }

  async release(repo: string, id: string, version: string, ref: string, notes?: string): Promise<{ version: string; sha: string }> {
    const info = await this.call(repo, (store) => store.release(id, version, ref, notes, actor));
    return { version: info.version, sha: info.sha };
  }

  async commitPrompt(repo: string, id: string, input: { content: string; base: string | null; message: string; branch?: string }): Promise<{ sha: string }> {
    const result = await this.call(repo, (store) => store.commitPrompt(id, { ...input }, actor));
    return { sha: result.sha };
  }

  /** Reviews in process with the editor's endpoint: the file only, as a folder records no usage. */
  review(repo: string, id: string, input: ReviewInput): Promise<Review> {
    if (!input.llm) throw new SourceError('llm_not_configured', `to review prompts of "${this.host}", set promptforge.llm.endpoint to an OpenAI-compatible API`);
    const llm = input.llm;
    return this.call(repo, (store) => reviewLocal(store, repo, id, input, { url: llm.url, model: llm.model, ...(llm.apiKey ? { apiKey: llm.apiKey } : {}) }));
  }

  async applyReview(repo: string, id: string, input: { content: string; base: string; message?: string }): Promise<Draft> {
    const result = await this.call(repo, (store) => applyLocalDraft(store, id, input, actor));
    return { repo, id, ...result };
  }

  close(): Promise<void> {
    return this.repos.close();
  }

  private async open(): Promise<Map<string, PromptStore>> {
    try {
      return await this.repos.stores();
    } catch (error) {
      throw new SourceError('repo_not_found', `host "${this.host}": ${message(error)}`);
    }
  }

  private async call<T>(repo: string, fn: (store: PromptStore) => Promise<T>): Promise<T> {
    const store = (await this.open()).get(repo);
    if (!store) throw new SourceError('repo_not_found', `host "${this.host}" has no repo "${repo}"`);
    try {
      return await fn(store);
    } catch (error) {
      const failure = localFailure(error);
      if (failure) throw new SourceError(failure.code, failure.message, failure.details);
      throw error;
    }
  }

  private snapshot(store: PromptStore): IndexedRepo {
    const prompts = new Map<string, IndexedPrompt>();
    for (const summary of store.listPrompts()) {
      const history = store.versions(summary.id);
      const versions: VersionNode[] = history.map((v) => ({
        sha: v.sha,
        ...(v.release ? { release: v.release } : {}),
        labels: v.labels,
        author: v.author,
        date: v.date,
        message: v.message,
      }));
      const releases: Record<string, string> = {};
      for (const v of history) for (const r of v.releases) releases[r] = v.sha;
      prompts.set(summary.id, {
        host: this.host,
        repo: store.name,
        id: summary.id,
        ...(summary.description ? { description: summary.description } : {}),
        status: summary.status,
        type: summary.type,
        tags: summary.tags,
        params: summary.params as ParamsSchema,
        labels: summary.labels,
        releases,
        versions,
        ...(summary.latest.sha ? { head: summary.latest.sha } : {}),
        path: summary.path,
      });
    }
    const workTree = existsSync(join(store.dir, '.git')) ? store.dir : undefined;
    return { name: store.name, ...(workTree ? { workTree } : {}), branches: store.branches(), defaultBranch: store.defaultBranch(), prompts };
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

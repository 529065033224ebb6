/**
 * A local host: a folder holding one git repo or a folder of repos, read through the
 * prompt store (long-lived git processes, no server) and followed by its change feed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { applyDraft, reviewVersion } from '../../../forge/review/review';
import { ReviewError } from '../../../forge/review/errors';
import { isStoreError, openRepoFolder, type PromptStore } from '../../../forge/store';
import type { Draft, ParamsSchema, Review, VersionNode } from '../protocol';
import type { IndexedPrompt, IndexedRepo } from './model';
import { SourceError, type HostSource, type RenderedVersion, type ReviewInput } from './source';

const actor = { name: 'Prompt Forge editor' };

export class LocalSource implements HostSource {
  readonly kind = 'local';
  private stores: Promise<Map<string, PromptStore>> | undefined;

  constructor(
    private readonly host: string,
    readonly location: string,
  ) {}

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
    const stops: Array<() => void> = [];
    let stopped = false;
    void this.open().then(
      (stores) => {
        if (stopped) return;
        for (const store of stores.values()) stops.push(store.on('change', (event) => onChange(event.repo, event.id)));
      },
      () => {},
    );
    return () => {
      stopped = true;
      for (const stop of stops) stop();
    };
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
    return this.call(repo, (store) => reviewVersion({ store }, repo, id, input, { url: llm.url, model: llm.model, ...(llm.apiKey ? { apiKey: llm.apiKey } : {}) }));
  }

  async applyReview(repo: string, id: string, input: { content: string; base: string; message?: string }): Promise<Draft> {
    const result = await this.call(repo, (store) => applyDraft(store, id, input, actor));
    return { repo, id, ...result };
  }

  async close(): Promise<void> {
    const stores = await this.stores?.catch(() => undefined);
    await Promise.all([...(stores?.values() ?? [])].map((store) => store.close()));
  }

  private open(): Promise<Map<string, PromptStore>> {
    this.stores ??= openRepoFolder(this.location).catch((error: unknown) => {
      this.stores = undefined; // the folder may appear later
      throw new SourceError('unreachable', `host "${this.host}": ${message(error)}`);
    });
    return this.stores;
  }

  private async call<T>(repo: string, fn: (store: PromptStore) => Promise<T>): Promise<T> {
    const store = (await this.open()).get(repo);
    if (!store) throw new SourceError('repo_not_found', `host "${this.host}" has no repo "${repo}"`);
    try {
      return await fn(store);
    } catch (error) {
      if (isStoreError(error)) throw new SourceError(error.code, error.message, { ...(error.details as object) });
      if (error instanceof ReviewError) throw new SourceError(error.code, error.message);
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

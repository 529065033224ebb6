/**
 * A remote host: a forge over HTTP through the SDK's ForgeClient, followed by its
 * server-sent event stream so label moves and new versions reach the index at once.
 */
import { formatPromptUri } from '../../../core/uri';
import { ForgeApiError, ForgeClient, ForgeUnreachableError } from '../../../sdk';
import type { PromptSummary, VersionEntry } from '../../../sdk';
import type { Draft, ParamsSchema, Review, UsageSeries, VersionNode, VersionUsage } from '../protocol';
import type { IndexedPrompt, IndexedRepo } from './model';
import { SourceError, type HostSource, type ReconnectDelays, type RenderedVersion, type ReviewInput } from './source';

/** A review waits on a model; the forge gives up on it first (60 s by default). */
const reviewTimeoutMs = 180_000;

export class RemoteSource implements HostSource {
  readonly kind = 'remote';
  private readonly client: ForgeClient;

  constructor(
    private readonly host: string,
    readonly location: string,
    apiKey: string | undefined,
    private readonly reconnect?: ReconnectDelays,
  ) {
    this.client = new ForgeClient({ url: location, ...(apiKey ? { apiKey } : {}), timeoutMs: 5000 });
  }

  async load(): Promise<IndexedRepo[]> {
    const repos = await this.call(() => this.client.listRepos());
    const loaded: IndexedRepo[] = [];
    for (const { name, defaultBranch, branches } of repos) {
      const summaries = await this.call(() => this.client.listPrompts(name));
      const histories = await this.call(() => this.client.repoVersions(name));
      const prompts = new Map<string, IndexedPrompt>();
      for (const summary of summaries) prompts.set(summary.id, this.prompt(name, summary, histories[summary.id] ?? []));
      const sorted = new Map([...prompts].sort(([a], [b]) => (a < b ? -1 : 1)));
      // The forge's own branch list, so a version that is no branch, label or release is flagged as on a local folder.
      loaded.push({ name, branches: stringList(branches), defaultBranch: typeof defaultBranch === 'string' ? defaultBranch : 'main', prompts: sorted });
    }
    return loaded;
  }

  follow(onChange: (repo: string, id?: string) => void, onLink: (up: boolean, message?: string) => void): () => void {
    const abort = new AbortController();
    void this.client.events(
      (event) => {
        if (typeof event.data.repo === 'string') onChange(event.data.repo, typeof event.data.id === 'string' ? event.data.id : undefined);
      },
      {
        signal: abort.signal,
        minBackoffMs: this.reconnect?.firstMs,
        maxBackoffMs: this.reconnect?.maxMs ?? 5000,
        onOpen: () => onLink(true),
        onError: (error) => {
          if (!abort.signal.aborted) onLink(false, `host "${this.host}" (${this.location}) is unreachable: ${error instanceof Error ? error.message : String(error)}`);
        },
      },
    );
    return () => abort.abort();
  }

  /** The file as stored, byte for byte, so an edit keeps comments, tags and formatting. */
  async content(repo: string, id: string, version: string): Promise<{ sha: string; source: string }> {
    const r = await this.call(() => this.client.source(repo, id, version));
    if ('notModified' in r) throw new SourceError('invalid_response', `host "${this.host}" answered 304 to a request without a cached copy`);
    return { sha: r.sha, source: r.text };
  }

  async usage(repo: string, id: string, since?: string): Promise<VersionUsage[]> {
    return (await this.call(() => this.client.usage(repo, id, { since }))).versions;
  }

  usageSeries(repo: string, id: string, bucket: 'hour' | 'day', since?: string): Promise<UsageSeries> {
    return this.call(() => this.client.usageSeries(repo, id, bucket, { since }));
  }

  /** The forge reviews with its own endpoint, metrics and consented samples. */
  review(repo: string, id: string, input: ReviewInput): Promise<Review> {
    const body = { ...(input.version ? { version: input.version } : {}), ...(input.instruction ? { instruction: input.instruction } : {}) };
    return this.call(() => this.client.review(repo, id, body, { timeoutMs: reviewTimeoutMs }));
  }

  applyReview(repo: string, id: string, input: { content: string; base: string; message?: string }): Promise<Draft> {
    return this.call(() => this.client.applyReview(repo, id, input));
  }

  async render(repo: string, id: string, version: string, params: Record<string, unknown>): Promise<RenderedVersion> {
    const r = await this.call(() => this.client.render(formatPromptUri({ host: this.host, repo, id, version, params: {} }), params));
    return {
      sha: r.sha,
      type: r.type ?? (r.messages ? 'chat' : 'text'),
      ...(r.text != null ? { text: r.text } : {}),
      ...(r.messages ? { messages: r.messages } : {}),
      template: r.template,
      params: r.params as ParamsSchema,
      ...(r.release ? { release: r.release } : {}),
      labels: r.labels,
    };
  }

  async diff(repo: string, id: string, from: string, to: string): Promise<{ fromSha: string; toSha: string; patch: string }> {
    const r = await this.call(() => this.client.diff(repo, id, from, to));
    const shas = r as { fromSha?: string; toSha?: string };
    return { fromSha: shas.fromSha ?? r.from, toSha: shas.toSha ?? r.to, patch: r.diff };
  }

  async promote(repo: string, id: string, label: string, version: string, expected: string | null): Promise<{ from: string | null; to: string }> {
    const move = await this.call(() => this.client.promote(repo, id, label, { version, expected }));
    return { from: move.from, to: move.to };
  }

  async release(repo: string, id: string, version: string, ref: string, notes?: string): Promise<{ version: string; sha: string }> {
    const r = await this.call(() => this.client.release(repo, id, { version, ref, ...(notes ? { notes } : {}) }));
    return { version: String(r.version ?? version), sha: String(r.sha ?? '') };
  }

  async commitPrompt(repo: string, id: string, input: { content: string; base: string | null; message: string; branch?: string }): Promise<{ sha: string }> {
    const body = { content: input.content, message: input.message, ...(input.base ? { base: input.base } : {}), ...(input.branch ? { branch: input.branch } : {}) };
    const r = await this.call(() => this.client.commitPrompt(repo, id, body));
    return { sha: String(r.sha ?? '') };
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private prompt(repo: string, summary: PromptSummary, entries: VersionEntry[]): IndexedPrompt {
    const versions: VersionNode[] = entries.map((v) => ({
      sha: v.sha,
      ...(v.release ? { release: v.release } : {}),
      labels: v.labels ?? [],
      author: v.author,
      date: v.date,
      message: v.message,
    }));
    const releases: Record<string, string> = {};
    for (const v of entries) {
      const all = Array.isArray(v.releases) ? (v.releases as string[]) : v.release ? [v.release] : [];
      for (const r of all) releases[r] = v.sha;
    }
    return {
      host: this.host,
      repo,
      id: summary.id,
      ...(summary.description ? { description: summary.description } : {}),
      status: summary.status ?? 'active',
      type: summary.type ?? 'text',
      tags: summary.tags ?? [],
      params: summary.params ?? {},
      labels: summary.labels ?? {},
      releases,
      versions,
      ...(summary.latest?.sha ? { head: summary.latest.sha } : versions[0] ? { head: versions[0].sha } : {}),
      ...(typeof summary.path === 'string' ? { path: summary.path } : {}),
    };
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof ForgeUnreachableError) throw new SourceError('unreachable', `host "${this.host}" (${this.location}) is unreachable: ${error.message}`);
      if (error instanceof ForgeApiError) throw new SourceError(error.code, error.message);
      throw error;
    }
  }
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}


/**
 * Local mode: a host mapped to `{ path }` runs the forge store inside the process, on a
 * git repo folder (one repo, or a folder whose sub-folders are repos). No server, no
 * network; the store follows commits and label moves made with plain git.
 *
 * `LocalRepos` is the one way into such a folder: the SDK's `LocalBackend` below reads
 * prompts through it, and the language server's local hosts read and write through it.
 */
import { collectIncludesAsync } from '../core/includes';
import { pinnedUri } from '../core/uri';
import { ReviewError } from '../forge/review/errors';
import { openRepoFolder, isStoreError, type PromptStore, type ResolvedPrompt } from '../forge/store';
import type { ErrorCode } from '../core/errors';
import type { Backend, ChangeListener, Resolved } from './backend';
import type { PartialTemplate, PromptEntry } from './entry';
import { PromptNotFoundError, typedError } from './errors';
import type { Target } from './reference';

export type { PromptStore };

/** A failure of a local store or review, with the forge's stable code and HTTP-like status. */
export interface LocalFailure {
  code: ErrorCode;
  status: number;
  message: string;
  details: Record<string, unknown>;
}

/** The failure a local call threw, when it is one a user can act on; undefined for bugs. */
export function localFailure(error: unknown): LocalFailure | undefined {
  if (isStoreError(error)) return { code: error.code, status: error.status, message: error.message, details: { ...(error.details as object) } };
  if (error instanceof ReviewError) return { code: error.code, status: error.status, message: error.message, details: {} };
  return undefined;
}

/** A folder of git repos opened as prompt stores, once, on first use. */
export class LocalRepos {
  private opened: Promise<Map<string, PromptStore>> | undefined;

  constructor(readonly path: string) {}

  /** The stores by repo name. A folder that failed to open is tried again next time: it may appear later. */
  stores(): Promise<Map<string, PromptStore>> {
    if (this.opened) return this.opened;
    const opening = openRepoFolder(this.path);
    opening.catch(() => {
      if (this.opened === opening) this.opened = undefined;
    });
    return (this.opened = opening);
  }

  async repo(name: string): Promise<PromptStore | undefined> {
    return (await this.stores()).get(name);
  }

  /** Calls `onChange` when a prompt (or, without id, anything) in a repo changes; returns a stop function. */
  follow(onChange: (repo: string, id: string | undefined) => void, onError: (error: unknown) => void = () => {}): () => void {
    const stops: Array<() => void> = [];
    let stopped = false;
    this.stores().then((stores) => {
      if (stopped) return;
      for (const store of stores.values()) stops.push(store.on('change', (event) => onChange(event.repo, event.id)));
    }, onError);
    return () => {
      stopped = true;
      for (const stop of stops.splice(0)) stop();
    };
  }

  async close(): Promise<void> {
    const stores = await this.opened?.catch(() => undefined);
    this.opened = undefined;
    await Promise.all([...(stores?.values() ?? [])].map((store) => store.close()));
  }
}

export class LocalBackend implements Backend {
  readonly describe: string;
  private readonly repos: LocalRepos;
  private stop: (() => void) | undefined;

  constructor(
    private readonly host: string,
    path: string,
  ) {
    this.describe = `local repo folder ${path}`;
    this.repos = new LocalRepos(path);
    // Open at once; a failure surfaces on the first resolve.
    this.repos.stores().catch(() => {});
  }

  available(): boolean {
    return true;
  }

  downReason(): string {
    return 'local repo folder';
  }

  async resolve(target: Target): Promise<Resolved> {
    const store = await this.repos.repo(target.repo);
    if (!store) throw new PromptNotFoundError(target.uri, `no repo "${target.repo}" in ${this.describe}`, 'repo_not_found');
    try {
      const resolved = await store.resolve(target.id, target.version);
      return { entry: await entryFromStore(this.host, resolved, (partial) => store.resolve(partial, resolved.sha)) };
    } catch (error) {
      throw typed(error, target.uri);
    }
  }

  watch(onChange: ChangeListener, onError: (error: unknown) => void): void {
    this.stop = this.repos.follow(onChange, onError);
  }

  async close(): Promise<void> {
    this.stop?.();
    await this.repos.close();
  }
}

/** An entry from the store, with the partials it includes at the same commit. */
export async function entryFromStore(host: string, resolved: ResolvedPrompt, resolvePartial: (id: string) => Promise<ResolvedPrompt>): Promise<PromptEntry> {
  const found = await collectIncludesAsync(resolved.file.body, (id) => resolvePartial(id).catch(() => undefined), (p) => p.file.body, resolved.id);
  const partials: Record<string, PartialTemplate> = {};
  for (const [id, p] of found) partials[id] = { template: p.file.body, params: p.file.params };
  return {
    repo: resolved.repo,
    id: resolved.id,
    sha: resolved.sha,
    kind: resolved.kind,
    release: resolved.release ?? null,
    labels: resolved.labels,
    type: resolved.file.type,
    template: resolved.file.body,
    params: resolved.file.params,
    partials,
    canonical: pinnedUri({ host, repo: resolved.repo, id: resolved.id, params: {} }, resolved.sha),
  };
}

/** Store errors carry HTTP-like statuses; they map onto the SDK's typed errors as the forge's would. */
function typed(error: unknown, uri: string): unknown {
  if (!isStoreError(error)) return error;
  return typedError(error.code, error.message, uri) ?? error;
}

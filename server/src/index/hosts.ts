/**
 * Keeps the index in step with the configured hosts: loads each in the background,
 * reloads it when its source reports a change, retries unreachable forges, and keeps
 * the last good data (marked stale) when a host goes away.
 */
import { EventEmitter } from 'node:events';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import type { HostConfig, HostState, HostStatus } from '../protocol';
import { LocalSource } from './localSource';
import { PromptIndex, type IndexedHost } from './model';
import { RemoteSource } from './remoteSource';
import { SourceError, type HostSource, type ReconnectDelays } from './source';

export type { ReconnectDelays };

export type SourceFactory = (host: string, config: HostConfig, apiKey: string | undefined, reconnect?: ReconnectDelays) => HostSource;

export const defaultSourceFactory: SourceFactory = (host, config, apiKey, reconnect) =>
  'url' in config ? new RemoteSource(host, config.url, apiKey, reconnect) : new LocalSource(host, config.path);

interface HostEvents {
  state: [host: string, state: HostState, message: string | undefined];
  changed: [host: string, repo: string | undefined, id: string | undefined];
}

/** Reloads of a host that could not be reached: 1 s, 2 s, 4 s … up to 30 s. */
const defaultRetry: ReconnectDelays = { firstMs: 1000, maxMs: 30_000 };

interface Running {
  config: string;
  source: HostSource;
  stopFollowing: () => void;
  loading: Promise<void> | undefined;
  reloadQueued: boolean;
  retry?: NodeJS.Timeout;
  failures: number;
}

export class Hosts extends EventEmitter<HostEvents> {
  readonly index = new PromptIndex();
  private readonly running = new Map<string, Running>();
  private generation = 0;

  constructor(
    private readonly createSource: SourceFactory = defaultSourceFactory,
    /** Tests shorten these; unset, a host's source keeps its own stream backoff. */
    private readonly reconnect?: ReconnectDelays,
  ) {
    super();
  }

  /**
   * Applies a configuration: starts new hosts, restarts changed ones, drops removed
   * ones. Resolves once every host finished its first load (successfully or not).
   */
  async configure(hosts: Record<string, HostConfig>, baseFolder: string | undefined, apiKeys: Record<string, string>): Promise<void> {
    const generation = ++this.generation;
    const wanted = new Map<string, HostConfig>();
    for (const [name, config] of Object.entries(hosts)) {
      if (config && 'path' in config && typeof config.path === 'string') {
        wanted.set(name, { path: isAbsolute(config.path) || !baseFolder ? resolvePath(config.path) : resolvePath(baseFolder, config.path) });
      } else if (config && 'url' in config && typeof config.url === 'string') {
        wanted.set(name, { url: config.url });
      }
    }
    for (const [name, run] of this.running) {
      const config = wanted.get(name);
      const key = config && JSON.stringify([config, 'url' in config ? apiKeys[name] : undefined]);
      if (key !== run.config) this.stop(name);
    }
    const loads: Array<Promise<void>> = [];
    for (const [name, config] of wanted) {
      if (this.running.has(name)) continue;
      loads.push(this.start(name, config, 'url' in config ? apiKeys[name] : undefined));
    }
    await Promise.all(loads);
    if (generation === this.generation) await Promise.all([...this.running.values()].map((r) => r.loading));
  }

  /** Reloads one host (or all) now. */
  async refresh(host?: string): Promise<void> {
    await Promise.all([...this.running.keys()].filter((name) => !host || name === host).map((name) => this.reload(name)));
  }

  source(host: string): HostSource | undefined {
    return this.running.get(host)?.source;
  }

  status(): HostStatus[] {
    return [...this.index.hosts.values()].map((h) => ({
      name: h.name,
      kind: h.kind,
      location: h.location,
      state: h.state,
      ...(h.message ? { message: h.message } : {}),
      repos: h.repos.size,
      prompts: [...h.repos.values()].reduce((n, r) => n + r.prompts.size, 0),
      ...(h.syncedAt ? { syncedAt: h.syncedAt } : {}),
    }));
  }

  async close(): Promise<void> {
    const names = [...this.running.keys()];
    await Promise.all(names.map((name) => this.stop(name)));
  }

  private start(name: string, config: HostConfig, apiKey: string | undefined): Promise<void> {
    const source = this.createSource(name, config, apiKey, this.reconnect);
    const host: IndexedHost = { name, kind: source.kind, location: source.location, state: 'loading', repos: new Map() };
    this.index.hosts.set(name, host);
    const run: Running = { config: JSON.stringify([config, apiKey]), source, stopFollowing: () => {}, loading: undefined, reloadQueued: false, failures: 0 };
    this.running.set(name, run);
    run.stopFollowing = source.follow(
      (repo, id) => void this.reload(name, repo, id),
      (up, message) => {
        if (this.running.get(name) !== run) return;
        // Lost: keep the data, marked stale. Back: reload to catch up on what was missed.
        if (!up) this.setState(host, host.syncedAt ? 'stale' : 'unreachable', message);
        else if (host.state === 'stale' || host.state === 'unreachable') void this.reload(name);
      },
    );
    return this.reload(name);
  }

  private stop(name: string): Promise<void> {
    const run = this.running.get(name);
    this.running.delete(name);
    this.index.hosts.delete(name);
    if (!run) return Promise.resolve();
    clearTimeout(run.retry);
    run.stopFollowing();
    return run.source.close().catch(() => {});
  }

  /** One load at a time per host; changes arriving meanwhile queue exactly one more. */
  private reload(name: string, repo?: string, id?: string): Promise<void> {
    const run = this.running.get(name);
    if (!run) return Promise.resolve();
    if (run.loading) {
      run.reloadQueued = true;
      return run.loading;
    }
    run.loading = this.load(name, run).finally(() => {
      run.loading = undefined;
      if (run.reloadQueued && this.running.get(name) === run) {
        run.reloadQueued = false;
        void this.reload(name);
      }
    });
    return run.loading.then(() => {
      if (this.running.get(name) === run) this.emit('changed', name, repo, id);
    });
  }

  private async load(name: string, run: Running): Promise<void> {
    const host = this.index.hosts.get(name)!;
    try {
      const repos = await run.source.load();
      if (this.running.get(name) !== run) return;
      host.repos = new Map(repos.map((r) => [r.name, r]));
      host.syncedAt = new Date().toISOString();
      run.failures = 0;
      this.setState(host, 'connected', undefined);
    } catch (error) {
      if (this.running.get(name) !== run) return;
      const unreachable = error instanceof SourceError && error.kind === 'unreachable';
      const message = error instanceof Error ? error.message : String(error);
      this.setState(host, host.syncedAt ? 'stale' : unreachable ? 'unreachable' : 'error', message);
      if (unreachable) this.scheduleRetry(name, run);
    }
  }

  private scheduleRetry(name: string, run: Running): void {
    clearTimeout(run.retry);
    const { firstMs, maxMs } = this.reconnect ?? defaultRetry;
    const delay = Math.min(firstMs * 2 ** Math.min(run.failures++, 30), maxMs);
    run.retry = setTimeout(() => void this.reload(name), delay);
    run.retry.unref();
  }

  private setState(host: IndexedHost, state: HostState, message: string | undefined): void {
    if (host.state === state && host.message === message) return;
    host.state = state;
    if (message) host.message = message;
    else delete host.message;
    this.emit('state', host.name, state, message);
  }
}

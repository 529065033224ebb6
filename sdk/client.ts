/**
 * The prompt client apps use: `get(ref, params)` answers from memory whenever it can,
 * follows the forge's events so promotions arrive at once, and keeps answering — from
 * stale entries, the snapshot or the app's fallbacks — while the forge is down.
 */
import { LRUCache } from 'lru-cache';
import type { Backend } from './backend';
import { loadConfig, type FromConfigOptions, type PromptClientOptions, type RemoteHost } from './config';
import { NO_PARAMS, baseParams, renderEntry, typesFit, type PromptEntry, type Rendered } from './entry';
import { ForgeApiError, PromptForgeError, PromptNotFoundError, PromptParamsError, PromptUnavailableError, PromptUriError, typedError } from './errors';
import { Fallbacks } from './fallbacks';
import type { ChatMessage, UsageEvent } from './forgeTypes';
import { LocalBackend } from './local';
import { ReferenceParser, isImmutable, type Target } from './reference';
import { pinnedUri } from '../core/uri';
import { FailoverBackend } from './failover';
import { RemoteBackend } from './remote';
import { Snapshot } from './snapshot';
import { TrackingIds } from './tracking';
import { UsageQueue, type UsageStats } from './usageQueue';
import { assignUnit, ExperimentSlots, type Assignment, type ExperimentSlot, type ExperimentWire } from './experiments';
import { formatPromptUri } from '../core/uri';

/** Where an answer came from. */
export type PromptSource = 'forge' | 'cache' | 'stale' | 'snapshot' | 'fallback';

export interface PromptResult {
  type: 'text' | 'chat';
  /** The rendered text (text prompts), else null. */
  text: string | null;
  /** The rendered messages (chat prompts), else null. */
  messages: ChatMessage[] | null;
  /** The reference, expanded to a full URI. */
  uri: string;
  /** The exact version as a SHA-pinned URI (null for an app-shipped fallback). */
  canonical: string | null;
  repo: string;
  id: string;
  sha: string | null;
  release: string | null;
  labels: string[];
  /** The values rendered, defaults applied. */
  params: Record<string, unknown>;
  source: PromptSource;
  /** Pass to `recordUsage` to tie a call's outcome to this exact version. */
  trackingId: string;
  /** The experiment (key) the unit was assigned in, or null. */
  experiment: string | null;
  /** `control` or the variant's name when `experiment` is set, else null. */
  variant: string | null;
}

/** How a call went; the SDK adds which version it was, the tracking id and the time. */
export type UsageReport = Omit<UsageEvent, 'repo' | 'id' | 'sha' | 'uri' | 'trackingId' | 'at' | 'experiment' | 'variant'>;

export interface GetOptions {
  /**
   * Who the call is for (a user id, a session): with an experiment running on the
   * label, the unit is assigned a variant, the same one every time (DESIGN §7).
   */
  unit?: string;
}

export interface PrefetchOutcome {
  ref: string;
  source?: PromptSource;
  error?: Error;
}

interface Fetched {
  entry: PromptEntry;
  slot?: ExperimentSlot;
  rendered?: Rendered;
  /** The params it was asked with. */
  given: Record<string, unknown>;
}

interface Cached {
  target: Target;
  entry: PromptEntry;
  /**
   * Until when it is served without a refresh (`Infinity` for immutable references);
   * after that it is served stale while one background refresh runs. Kept here rather
   * than as the cache's ttl so a hit costs no clock read beyond this comparison and an
   * event can mark an entry due at once.
   */
  freshUntil: number;
  /** The params the entry was fetched with: a background refresh asks the same way. */
  fetchedWith: Record<string, unknown>;
  /** The label's experiment slot, when the entry is a label's. */
  slot?: ExperimentSlot;
}

export class PromptClient {
  private readonly cache: LRUCache<string, Cached>;
  private readonly ttlMs: number;
  private readonly backends = new Map<string, Backend>();
  private readonly queues = new Map<Backend, UsageQueue>();
  private readonly inflight = new Map<string, Promise<Fetched>>();
  /** Keys that changed while a fetch was in flight: that fetch may predate the change. */
  private readonly changedDuringFetch = new Set<string>();
  private readonly references: ReferenceParser;
  /**
   * Per reference with a query, per entry: the query's values converted by declared type
   * and the pinned URI, so a cached get of `…/production?name=Ann` does not redo them.
   */
  private readonly withQuery = new WeakMap<Target, { entry: PromptEntry; base: Record<string, unknown>; canonical: string | null }>();
  private readonly snapshot: Snapshot | undefined;
  private readonly fallbacks: Fallbacks;
  private readonly tracking = new TrackingIds();
  private readonly experiments = new ExperimentSlots();
  private readonly defaultParams: Record<string, unknown>;
  private readonly onError: (error: unknown) => void;
  /** One last flush when the app's event loop empties; once, so a dead forge cannot keep the process alive. */
  private readonly flushOnExit = () => {
    process.off('beforeExit', this.flushOnExit);
    void this.flushUsage();
  };
  /** The snapshot is written synchronously, so even `process.exit()` keeps it. */
  private readonly saveOnExit = () => this.snapshot?.flush();
  private closed = false;

  /** Options from `promptforge.config.{yaml,yml,json}` and `PROMPTFORGE_*` variables. */
  static fromConfig(options?: FromConfigOptions): PromptClient {
    return new PromptClient(loadConfig(options));
  }

  constructor(options: PromptClientOptions = {}) {
    this.onError = options.onError ?? (() => {});
    this.ttlMs = options.cache?.ttlMs ?? 60_000;
    const maxEntries = options.cache?.maxEntries ?? 1000;
    if (!(maxEntries >= 1)) throw new RangeError(`cache maxEntries must be at least 1, got ${maxEntries}`);
    this.cache = new LRUCache({ max: maxEntries });
    this.defaultParams = options.defaults?.params && Object.keys(options.defaults.params).length > 0 ? options.defaults.params : NO_PARAMS;
    const hosts = options.hosts ?? {};
    this.references = new ReferenceParser(options.defaults ?? {}, options.aliases ?? {}, Object.keys(hosts));
    this.snapshot = options.snapshot ? new Snapshot(options.snapshot, this.onError) : undefined;
    this.fallbacks = new Fallbacks(options.fallbacks ?? {}, this.onError);
    const usageOn = options.usage?.enabled !== false;
    for (const [name, host] of Object.entries(hosts)) {
      const backend: Backend = 'path' in host ? new LocalBackend(name, host.path) : remoteBackend(host, options);
      this.backends.set(name, backend);
      const send = backend.sendUsage?.bind(backend);
      if (usageOn && send) this.queues.set(backend, new UsageQueue(send, options.usage, () => backend.available()));
      if (options.liveUpdates !== false) {
        backend.watch((repo, id) => this.changed(name, repo, id), this.onError, (definition) => this.experimentChanged(name, definition));
      }
    }
    if (this.queues.size > 0) process.on('beforeExit', this.flushOnExit);
    if (this.snapshot) process.on('exit', this.saveOnExit);
  }

  /**
   * The prompt `ref` (URI, short ref or alias) rendered with `params`. With `unit`, a
   * label under an experiment answers the unit's variant (assigned here, no network).
   */
  async get(ref: string, params?: Record<string, unknown>, options?: GetOptions): Promise<PromptResult> {
    const target = this.references.parse(ref);
    const cached = this.cache.get(target.key);
    if (cached !== undefined) {
      const fresh = cached.freshUntil > Date.now();
      if (!fresh) this.refresh(cached);
      const slot = cached.slot;
      const assigned = slot !== undefined && options?.unit !== undefined ? assignUnit(slot, options.unit) : undefined;
      return this.answer(target, assigned?.entry ?? cached.entry, params, fresh ? 'cache' : 'stale', undefined, assigned);
    }
    const { entry, source, rendered, slot } = await this.obtain(target, params);
    const assigned = slot !== undefined && options?.unit !== undefined ? assignUnit(slot, options.unit) : undefined;
    return assigned?.entry ? this.answer(target, assigned.entry, params, source, undefined, assigned) : this.answer(target, entry, params, source, rendered, assigned);
  }

  /** Shorthand for `get`: just the rendered text, or the messages of a chat prompt. */
  async render(ref: string, params: Record<string, unknown>): Promise<string | ChatMessage[]> {
    const result = await this.get(ref, params);
    return result.text ?? result.messages ?? '';
  }

  /**
   * Loads references into the cache (e.g. at startup), each a reference or
   * `{ ref, params }` (a prompt with required params needs them to be resolved).
   * Reports each outcome; never rejects.
   */
  async prefetch(refs: (string | { ref: string; params?: Record<string, unknown> })[]): Promise<PrefetchOutcome[]> {
    return Promise.all(
      refs.map(async (item) => {
        const { ref, params } = typeof item === 'string' ? { ref: item, params: undefined } : item;
        try {
          return { ref, source: (await this.get(ref, params)).source };
        } catch (error) {
          return { ref, error: error as Error };
        }
      }),
    );
  }

  /** Queues the outcome of a call made with a prompt from `get`. Never throws. */
  recordUsage(trackingId: string, report: UsageReport = {}): void {
    try {
      const call = this.tracking.lookup(trackingId);
      const queue = call && this.queues.get(call.backend);
      if (!call || !queue || call.sha === null) return;
      const event: UsageEvent = { ...withoutUnconsentedSample(report, this.onError), repo: call.repo, id: call.id, sha: call.sha, trackingId, at: new Date().toISOString() };
      if (call.experiment !== null && call.variant !== null) [event.experiment, event.variant] = [call.experiment, call.variant];
      queue.push(event);
    } catch (error) {
      this.onError(error);
    }
  }

  /** Usage reporting counters, summed over hosts. */
  usageStats(): UsageStats {
    const total: UsageStats = { queued: 0, sent: 0, dropped: 0, failedFlushes: 0 };
    for (const queue of this.queues.values()) {
      const s = queue.getStats();
      total.queued += s.queued;
      total.sent += s.sent;
      total.dropped += s.dropped;
      total.failedFlushes += s.failedFlushes;
    }
    return total;
  }

  /** Host → whether the client currently talks to it (`closed` circuit) or not (`open`). */
  hostStates(): Record<string, 'up' | 'down'> {
    return Object.fromEntries([...this.backends].map(([name, b]) => [name, b.available() ? 'up' : 'down']));
  }

  /** Sends queued usage now. */
  async flushUsage(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.flush()));
  }

  /** Flushes usage and the snapshot, stops following events, closes connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    process.off('beforeExit', this.flushOnExit);
    process.off('exit', this.saveOnExit);
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.snapshot?.flush();
    await Promise.all([...this.backends.values()].map((b) => b.close()));
  }

  private answer(target: Target, entry: PromptEntry, params: Record<string, unknown> | undefined, source: PromptSource, fromSource?: Rendered, assigned?: Assignment): PromptResult {
    let base = this.defaultParams;
    let canonical = entry.canonical;
    if (target.query !== undefined) {
      let known = this.withQuery.get(target);
      if (known?.entry !== entry) {
        const pinned = entry.sha ? pinnedUri({ host: target.host, repo: target.repo, id: target.id, params: target.query }, entry.sha) : entry.canonical;
        this.withQuery.set(target, (known = { entry, base: baseParams(entry, base, target.query), canonical: pinned }));
      }
      ({ base, canonical } = known);
    }
    const rendered = fromSource ?? renderEntry(entry, base, params, target.uri);
    return {
      type: entry.type,
      text: rendered.text,
      messages: rendered.messages,
      uri: target.uri,
      canonical,
      repo: entry.repo,
      id: entry.id,
      sha: entry.sha,
      release: entry.release,
      labels: entry.labels,
      params: rendered.params,
      source,
      trackingId: this.tracking.issue(this.backends.get(target.host)!, entry, assigned?.experiment, assigned?.variant),
      experiment: assigned?.experiment ?? null,
      variant: assigned?.variant ?? null,
    };
  }

  /** Forge, then snapshot, then fallbacks; an error only when none of them has the prompt. */
  private async obtain(target: Target, params: Record<string, unknown> | undefined): Promise<{ entry: PromptEntry; source: PromptSource; rendered?: Rendered; slot?: ExperimentSlot }> {
    const backend = this.backends.get(target.host)!;
    const tried: string[] = [];
    let cause: unknown;
    if (backend.available()) {
      try {
        const given = { ...this.defaultParams, ...target.query, ...params };
        const fetched = await this.fetch(target, backend, given);
        // The forge rendered these very params while resolving (it converts them from the
        // URI's strings by declared type, so the types are checked here as a render would).
        const own = fetched.given === given && fetched.rendered && typesFit(fetched.entry, params);
        return { entry: fetched.entry, source: 'forge', rendered: own ? fetched.rendered : undefined, slot: fetched.slot };
      } catch (error) {
        const definite = definiteError(error, target.uri);
        if (definite) throw definite;
        cause = error;
        tried.push(`${backend.describe} (${reason(error)})`);
      }
    } else {
      tried.push(`${backend.describe} (${backend.downReason()})`);
    }
    tried.push('cache (no entry)');
    const saved = this.snapshot?.entries.get(target.key);
    if (saved) return { entry: saved, source: 'snapshot' };
    tried.push(this.snapshot ? `snapshot ${this.snapshot.path} (no entry)` : 'snapshot (not configured)');
    const fallback = this.fallbacks.find(target);
    if (fallback) return { entry: fallback, source: 'fallback' };
    tried.push(`fallback (${this.fallbacks.describe()})`);
    throw new PromptUnavailableError(target.uri, tried, { cause });
  }

  /** One request per key at a time; the answer goes to the cache and the snapshot. */
  private fetch(target: Target, backend: Backend, given: Record<string, unknown>): Promise<Fetched> {
    let pending = this.inflight.get(target.key);
    if (pending === undefined) {
      pending = backend.resolve(target, given).then(
        async ({ entry, rendered, experiment }) => {
          // A label's answer says which experiment runs on it: the variants' prompts are
          // loaded now, so later gets assign without waiting on the network.
          const slot = experiment !== undefined ? this.experiments.slot(target.host, target.repo, target.id, target.version) : undefined;
          if (slot) await this.loadVariants(target, slot, ExperimentSlots.apply(slot, experiment ?? null), given);
          this.inflight.delete(target.key);
          this.refetchIfChanged(target.key);
          this.cache.set(target.key, { target, entry, fetchedWith: given, slot, freshUntil: isImmutable(target, entry) ? Infinity : Date.now() + this.ttlMs });
          this.snapshot?.put(target.key, entry);
          return { entry, rendered, given, slot };
        },
        (error) => {
          this.inflight.delete(target.key);
          this.refetchIfChanged(target.key);
          throw error;
        },
      );
      this.inflight.set(target.key, pending);
    }
    return pending;
  }

  /**
   * Refreshes one entry in the background. A definite answer — the label, version or
   * prompt is gone, or no longer takes these params — drops it, so the next get says so.
   */
  private refresh({ target, fetchedWith }: Cached): void {
    const backend = this.backends.get(target.host)!;
    if (this.closed || !backend.available() || this.inflight.has(target.key)) return;
    this.fetch(target, backend, fetchedWith).catch((error) => {
      if (definiteError(error, target.uri)) {
        this.cache.delete(target.key);
        this.snapshot?.delete(target.key);
      }
      this.onError(error);
    });
  }

  private refetchIfChanged(key: string): void {
    if (!this.changedDuringFetch.delete(key)) return;
    // After this fetch's answer is stored (a microtask later), ask again.
    queueMicrotask(() => {
      const cached = this.cache.get(key);
      if (cached && cached.freshUntil !== Infinity) {
        cached.freshUntil = 0;
        this.refresh(cached);
      }
    });
  }

  /** Loads the prompts of variants by their pinned SHA (immutable, so once each); a failure leaves those units on the control. */
  private async loadVariants(target: Target, slot: ExperimentSlot, shas: string[], given: Record<string, unknown>): Promise<void> {
    const backend = this.backends.get(target.host)!;
    await Promise.all(
      shas.map(async (sha) => {
        try {
          const pinned = this.references.parse(formatPromptUri({ host: target.host, repo: target.repo, id: target.id, version: sha, params: {} }));
          ExperimentSlots.addEntry(slot, sha, (await backend.resolve(pinned, given)).entry);
        } catch (error) {
          this.onError(error);
        }
      }),
    );
  }

  /** A definition from the event stream: applied at once (a stop needs nothing more); new variants are loaded. */
  private experimentChanged(host: string, definition: ExperimentWire): void {
    const slot = this.experiments.find(host, definition.repo, definition.id, definition.label);
    if (!slot) return;
    const missing = ExperimentSlots.apply(slot, definition);
    if (missing.length === 0) return;
    const prefix = `${host}\n${definition.repo}\n${definition.id}\n`;
    for (const [key, cached] of this.cache) {
      if (cached.slot === slot && key.startsWith(prefix)) {
        void this.loadVariants(cached.target, slot, missing, cached.fetchedWith);
        return;
      }
    }
  }

  /** An event from `host`: movable entries of that prompt (or of everything) are refreshed now. */
  private changed(host: string, repo: string | undefined, id: string | undefined): void {
    const prefix = [host, repo, id].filter((part) => part !== undefined).join('\n') + '\n';
    const due: Cached[] = [];
    for (const [key, cached] of this.cache.entries()) {
      if (cached.freshUntil !== Infinity && key.startsWith(prefix)) {
        cached.freshUntil = 0;
        due.push(cached);
      }
    }
    for (const key of this.inflight.keys()) if (key.startsWith(prefix)) this.changedDuringFetch.add(key);
    for (const cached of due) if (!this.inflight.has(cached.target.key)) this.refresh(cached);
  }
}

export function createPromptClient(options?: PromptClientOptions): PromptClient {
  return new PromptClient(options);
}

/** The forge's definite answers (not found, bad reference, bad params) as typed errors; undefined for outages. */
function definiteError(error: unknown, uri: string): Error | undefined {
  if (error instanceof PromptNotFoundError || error instanceof PromptUriError || error instanceof PromptParamsError) return error;
  if (!(error instanceof ForgeApiError)) return undefined;
  return typedError(error.code, error.message, uri);
}

function reason(error: unknown): string {
  if (error instanceof ForgeApiError) return `HTTP ${error.status} ${error.code}: ${error.message}`;
  const e = error as { reason?: string; message?: string } | undefined;
  return e?.reason ?? e?.message ?? String(error);
}

/**
 * The forge refuses a sample without consent, and with it the whole event; the app keeps
 * its numbers: the text is dropped here and the app told why.
 */
function withoutUnconsentedSample(report: UsageReport, onError: (error: unknown) => void): UsageReport {
  if (report.consent === true || (report.input === undefined && report.output === undefined)) return report;
  const { input: _input, output: _output, ...rest } = report;
  onError(new PromptForgeError('consent_required', 'recordUsage: input and output are sent only with consent: true; the text was dropped, the rest of the report recorded'));
  return rest;
}

/** One URL, or several tried in order with a breaker each. */
function remoteBackend(host: RemoteHost, options: PromptClientOptions): Backend {
  const urls = Array.isArray(host.url) ? host.url : [host.url];
  if (urls.length === 0) throw new TypeError('a host\'s url list is empty: give at least one forge URL');
  const backends = urls.map((url) => new RemoteBackend(url, host.apiKey, options.timeoutMs ?? 2000, options.breaker));
  return backends.length === 1 ? backends[0] : new FailoverBackend(backends);
}

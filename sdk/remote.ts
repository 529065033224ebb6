/**
 * A forge reached over HTTP, as the prompt client sees it: resolves through the typed
 * client, guards every call with the circuit breaker, and follows the event stream.
 */
import { CircuitBreaker, type BreakerOptions } from './breaker';
import type { Backend, ChangeListener, Resolved } from './backend';
import { ForgeApiError, ForgeUnreachableError } from './errors';
import { ForgeClient } from './forgeClient';
import type { UsageEvent } from './forgeTypes';
import { entryFromResolution } from './entry';
import { wireDefinition, type ExperimentWire } from './experiments';
import type { Target } from './reference';
import { formatPromptUri } from '../core/uri';

export class RemoteBackend implements Backend {
  readonly forge: ForgeClient;
  readonly breaker: CircuitBreaker;
  readonly describe: string;
  private readonly stop = new AbortController();
  private opened = 0;

  constructor(url: string, apiKey: string | undefined, timeoutMs: number, breaker: BreakerOptions | undefined) {
    this.forge = new ForgeClient({ url, apiKey, timeoutMs });
    this.describe = `forge at ${this.forge.url}`;
    this.breaker = new CircuitBreaker(() => this.forge.health(), breaker);
  }

  available(): boolean {
    return !this.breaker.isOpen;
  }

  downReason(): string {
    const error = this.breaker.lastError as { reason?: string; message?: string } | undefined;
    return `known down, not retried until a health probe succeeds: ${error?.reason ?? error?.message ?? 'failed repeatedly'}`;
  }

  async resolve(target: Target, params: Record<string, unknown>): Promise<Resolved> {
    try {
      // In the URI's query, as strings the forge converts by declared type: the GET is
      // the cacheable form of a resolve.
      const uri = formatPromptUri({ host: target.host, repo: target.repo, id: target.id, version: target.version, params: asQuery(params) });
      const resolution = await this.forge.resolve(uri);
      this.breaker.success();
      const rendered = { text: resolution.text ?? null, messages: resolution.messages ?? null, params: (resolution.values ?? {}) as Record<string, unknown> };
      const entry = entryFromResolution(resolution);
      const experiment = entry.kind === 'label' ? wireDefinition(resolution.experiment) : undefined;
      return { entry, rendered, ...(experiment !== undefined ? { experiment } : {}) };
    } catch (error) {
      if (countsAsOutage(error)) this.breaker.failure(error);
      else this.breaker.success();
      throw error;
    }
  }

  async sendUsage(events: UsageEvent[]): Promise<void> {
    await this.forge.recordUsage(events);
  }

  /** Follows the event stream; after a reconnect everything may have moved, so `onChange()` with no scope. */
  watch(onChange: ChangeListener, onError: (error: unknown) => void, onExperiment?: (definition: ExperimentWire) => void): void {
    void this.forge.events((event) => {
      if (event.type === 'experiment' || event.type === 'experiment.stopped') {
        const definition = wireDefinition(event.data.experiment);
        if (definition) onExperiment?.(definition);
        return;
      }
      onChange(event.data.repo, event.data.id);
    }, {
      signal: this.stop.signal,
      onOpen: () => {
        if (this.opened++ > 0) onChange(undefined, undefined);
        this.breaker.success();
      },
      onError: (error) => {
        // A dropped stream is the first sign of a dying forge; it counts like a failed call.
        this.breaker.failure(error);
        onError(error);
      },
    });
  }

  async close(): Promise<void> {
    this.stop.abort();
    this.breaker.stop();
    await this.forge.close();
  }
}

function asQuery(params: Record<string, unknown>): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) query[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return query;
}

/** Network failures, timeouts and 5xx mean the forge is not serving; 4xx means it is. */
function countsAsOutage(error: unknown): boolean {
  return error instanceof ForgeUnreachableError || (error instanceof ForgeApiError && error.status >= 500);
}

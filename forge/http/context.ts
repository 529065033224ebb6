/** What every route handler gets: the forge's parts and the request being answered. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Caller, KeyRing, SessionStore } from '../auth';
import type { LRUCache } from 'lru-cache';
import type { LlmConfig } from '../review/llm';
import type { Replication } from '../replica/replication';
import type { PromptStore } from '../store';
import type { ExperimentStore } from '../store/experiments';
import type { GuardrailMonitor } from '../experiments/monitor';
import type { UsageSink } from '../usage/sink';
import type { WebhookOutbox } from '../webhooks/outbox';
import { parseWire, type WireSchema } from '../../core/wire';
import type { InferOutput } from 'valibot';
import { readJson, readObject } from './body';
import { HttpError } from './errors';
import type { EventHub } from './events';
import type { HostPolicy } from './hosts';
import type { ResolveAnswer } from './answers';

export type { UsageSink };

export interface Forge {
  stores: Map<string, PromptStore>;
  /** Experiments by repo name, one per store (DESIGN §7). */
  experiments: Map<string, ExperimentStore>;
  guardrails: GuardrailMonitor;
  keys: KeyRing;
  /** Signed-in browser sessions of the web console. */
  sessions: SessionStore;
  usage: UsageSink;
  /** Repos this forge pushes or follows; absent on a forge that does neither. */
  replication?: Replication;
  events: EventHub;
  /** Which Host and Origin headers name this forge. */
  hosts: HostPolicy;
  bodyLimit: number;
  llm?: LlmConfig;
  webhooks: Pick<WebhookOutbox, 'deliveries'>;
  /** Finished resolve answers by URI text, revalidated on every use. */
  answers: LRUCache<string, ResolveAnswer>;
  /** One line for the operator (stderr): internal errors, answers cut short. */
  log(line: string): void;
}

export class RequestContext {
  private params: URLSearchParams | undefined;

  constructor(
    readonly forge: Forge,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    /** The request target after `?`, parsed on first use. */
    readonly search: string,
    readonly caller: Caller,
  ) {}

  store(repo: string): PromptStore {
    const store = this.forge.stores.get(repo);
    if (!store) throw new HttpError('repo_not_found', `no repo "${repo}" on this forge; it serves ${[...this.forge.stores.keys()].map((n) => `"${n}"`).join(', ') || 'no repos'}`);
    return store;
  }

  body(): Promise<Record<string, unknown>> {
    return readObject(this.req, this.forge.bodyLimit);
  }

  /** The JSON body checked against its wire schema (core/wire.ts); 400 naming the field otherwise. */
  async bodyAs<S extends WireSchema>(schema: S): Promise<InferOutput<S>> {
    const checked = parseWire(schema, await this.body());
    if (!checked.ok) throw new HttpError(checked.problem.code, checked.problem.message);
    return checked.value;
  }

  /** The JSON body, whatever its shape. */
  json(): Promise<unknown> {
    return readJson(this.req, this.forge.bodyLimit);
  }

  query(name: string): string | undefined {
    this.params ??= new URLSearchParams(this.search);
    const values = this.params.getAll(name);
    if (values.length > 1) throw new HttpError('invalid_query', `query parameter "${name}" is given ${values.length} times`);
    return values[0];
  }

  /** The caller as the author of a write. */
  get actor(): { name: string } {
    return { name: this.caller.name };
  }
}

/** An answer other than 200 with a JSON body. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}


/** What every route handler gets: the forge's parts and the request being answered. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Caller, KeyRing, SessionStore } from '../auth';
import type { LruCache } from '../../core/lru';
import type { LlmConfig } from '../review/llm';
import type { PromptStore } from '../store';
import type { UsageStore } from '../usage/store';
import type { WebhookOutbox } from '../webhooks/outbox';
import { readObject } from './body';
import { HttpError } from './errors';
import type { EventHub } from './events';
import type { HostPolicy } from './hosts';
import type { ResolveAnswer } from './routes/resolve';

/** What the routes need of the SQLite usage store. */
export type UsageSink = Pick<UsageStore, 'ingest' | 'metrics' | 'series' | 'samples' | 'events' | 'callsByPrompt'>;

export interface Forge {
  stores: Map<string, PromptStore>;
  keys: KeyRing;
  /** Signed-in browser sessions of the web console. */
  sessions: SessionStore;
  usage: UsageSink;
  events: EventHub;
  /** Which Host and Origin headers name this forge. */
  hosts: HostPolicy;
  bodyLimit: number;
  llm?: LlmConfig;
  webhooks: Pick<WebhookOutbox, 'deliveries'>;
  /** Finished resolve answers by URI text, revalidated on every use. */
  answers: LruCache<string, ResolveAnswer>;
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
    if (!store) throw new HttpError(404, 'repo_not_found', `no repo "${repo}" on this forge; it serves ${[...this.forge.stores.keys()].map((n) => `"${n}"`).join(', ') || 'no repos'}`);
    return store;
  }

  body(): Promise<Record<string, unknown>> {
    return readObject(this.req, this.forge.bodyLimit);
  }

  query(name: string): string | undefined {
    this.params ??= new URLSearchParams(this.search);
    const values = this.params.getAll(name);
    if (values.length > 1) throw new HttpError(400, 'invalid_query', `query parameter "${name}" is given ${values.length} times`);
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

/** A required string field of a JSON body. */
export function field(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (value === undefined || value === null || value === '') throw new HttpError(400, 'missing_field', `the body needs "${name}"`);
  if (typeof value !== 'string') throw new HttpError(400, 'invalid_field', `"${name}" must be a string, not ${typeof value}`);
  return value;
}

/** An optional string field; null is kept (it means "none" for `expected`). */
export function optionalField(body: Record<string, unknown>, name: string): string | null | undefined {
  const value = body[name];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string') throw new HttpError(400, 'invalid_field', `"${name}" must be a string, not ${typeof value}`);
  return value;
}

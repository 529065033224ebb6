/**
 * A typed client of one forge's HTTP API (DESIGN §4): one method per route, over a
 * keep-alive undici pool, with API errors turned into `ForgeApiError` and network
 * failures into `ForgeUnreachableError`. Used by the SDK and by the language server.
 */
import { Pool } from 'undici';
import { isErrorCode, type ErrorCode } from '../core/errors';
import { ForgeApiError, ForgeUnreachableError } from './errors';
import { followStream, type FollowOptions } from './eventStream';
import type {
  ApplyReviewRequest,
  CommitRequest,
  DiffResult,
  Draft,
  ExperimentChangeAnswer,
  ExperimentRequest,
  ExperimentStatus,
  ForgeEvent,
  LabelMove,
  PromptSummary,
  ReleaseRequest,
  RepoSummary,
  Resolution,
  Review,
  ReviewRequest,
  UsageEvent,
  UsageMetrics,
  UsageSeries,
  VersionEntry,
} from './forgeTypes';

export interface ForgeClientOptions {
  /** Base URL, e.g. `http://localhost:7070` (a path prefix is kept). */
  url: string;
  /** Sent as `Authorization: Bearer KEY`. */
  apiKey?: string;
  /** Per-request limit for connecting, and for the answer's headers and body. Default 5000. */
  timeoutMs?: number;
  /** Keep-alive connections to the forge. Default 16. */
  connections?: number;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Overrides the client's timeout for this call. */
  timeoutMs?: number;
}

type Query = Record<string, string | number | undefined>;

/** A prompt file as stored: its text, the version's commit and the file's blob id. */
export interface PromptFileSource {
  text: string;
  sha: string;
  blob: string;
}

export class ForgeClient {
  readonly url: string;
  private readonly pool: Pool;
  private readonly prefix: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  private primaryClient: ForgeClient | undefined;

  constructor(
    private readonly options: ForgeClientOptions,
    /** True for the client a replica's 421 sent us to: it does not follow another. */
    private readonly followed = false,
  ) {
    const base = new URL(options.url);
    this.url = base.href.replace(/\/$/, '');
    this.prefix = base.pathname.replace(/\/$/, '');
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.headers = { accept: 'application/json' };
    if (options.apiKey) this.headers.authorization = `Bearer ${options.apiKey}`;
    this.pool = new Pool(base.origin, {
      connections: options.connections ?? 16,
      keepAliveTimeout: 30_000,
      connect: { timeout: this.timeoutMs },
    });
  }

  /** `GET /healthz`: resolves when the forge answers 2xx. */
  async health(options?: RequestOptions): Promise<unknown> {
    return this.call('GET', '/healthz', undefined, undefined, options);
  }

  async listRepos(options?: RequestOptions): Promise<RepoSummary[]> {
    return list(await this.call('GET', '/api/v1/repos', undefined, undefined, options), 'repos');
  }

  async listPrompts(repo: string, options?: RequestOptions): Promise<PromptSummary[]> {
    return list(await this.call('GET', `/api/v1/repos/${seg(repo)}/prompts`, undefined, undefined, options), 'prompts');
  }

  /** Every prompt's history on the default branch, newest first, by prompt id. */
  async repoVersions(repo: string, options?: RequestOptions): Promise<Record<string, VersionEntry[]>> {
    const body = (await this.call('GET', `/api/v1/repos/${seg(repo)}/versions`, undefined, undefined, options)) as { versions?: Record<string, VersionEntry[]> };
    return body?.versions ?? {};
  }

  /** A prompt's history, newest first. */
  async versions(repo: string, id: string, options?: RequestOptions): Promise<VersionEntry[]> {
    return list(await this.call('GET', `${promptPath(repo, id)}/versions`, undefined, undefined, options), 'versions');
  }

  /**
   * The `.prompt` file at a version spec, byte for byte, with the version's commit SHA
   * and the file's blob id. Given the blob id of a copy already held (`ifNoneMatch`),
   * an unchanged file answers `{ notModified: true }` without its text.
   */
  async source(repo: string, id: string, version?: string, options?: RequestOptions & { ifNoneMatch?: string }): Promise<PromptFileSource | { notModified: true; sha: string; blob: string }> {
    const extra = options?.ifNoneMatch ? { 'if-none-match': `"${options.ifNoneMatch}"` } : undefined;
    const res = await this.exchange('GET', `${promptPath(repo, id)}/source`, { version }, undefined, options, extra);
    const sha = String(res.headers['x-promptforge-sha'] ?? '');
    const blob = String(res.headers.etag ?? '').replace(/^(?:W\/)?"|"$/g, '');
    if (res.status === 304) return { notModified: true, sha, blob };
    return { text: res.text, sha, blob };
  }

  /** Resolves and renders a full `prompt://` URI (params in its query). */
  resolve(uri: string, options?: RequestOptions): Promise<Resolution> {
    return this.call('GET', '/api/v1/resolve', { uri }, undefined, options);
  }

  /** Resolves `uri` and renders it with `params` given separately. */
  render(uri: string, params: Record<string, unknown>, options?: RequestOptions): Promise<Resolution> {
    return this.call('POST', '/api/v1/render', undefined, { uri, params }, options);
  }

  /** Unified diff between two version specs of one prompt. */
  diff(repo: string, id: string, from: string, to: string, options?: RequestOptions): Promise<DiffResult> {
    return this.call('GET', `${promptPath(repo, id)}/diff`, { from, to }, undefined, options);
  }

  /**
   * Moves `label` to `version` if it still points at `expected` (a SHA, or null when the
   * label must not exist yet); a stale `expected` fails with a 409 `ForgeApiError`.
   */
  promote(repo: string, id: string, label: string, body: { version: string; expected?: string | null }, options?: RequestOptions): Promise<LabelMove> {
    return this.call('PUT', `${promptPath(repo, id)}/labels/${seg(label)}`, undefined, body, options);
  }

  /** Every move of a label, newest first. */
  async labelHistory(repo: string, id: string, label: string, options?: RequestOptions): Promise<LabelMove[]> {
    return list(await this.call('GET', `${promptPath(repo, id)}/labels/${seg(label)}/history`, undefined, undefined, options), 'history');
  }

  /** Tags a release `ID@version` on `ref`. */
  release(repo: string, id: string, body: ReleaseRequest, options?: RequestOptions): Promise<Record<string, unknown>> {
    return this.call('POST', `${promptPath(repo, id)}/releases`, undefined, body, options);
  }

  /** Commits a new version of the prompt file (409 if the branch moved past `base`, 422 if invalid). */
  commitPrompt(repo: string, id: string, body: CommitRequest, options?: RequestOptions): Promise<Record<string, unknown>> {
    return this.call('PUT', promptPath(repo, id), undefined, body, options);
  }

  /**
   * Starts an experiment on a label, or changes the running one (e.g. `{coverage}` to
   * ramp); `expected` is the tip last read (409 when stale). DESIGN §7.
   */
  putExperiment(repo: string, id: string, label: string, body: ExperimentRequest, options?: RequestOptions): Promise<ExperimentChangeAnswer> {
    return this.call('PUT', `${promptPath(repo, id)}/experiments/${seg(label)}`, undefined, body, options);
  }

  /** The label's experiment with live results per variant and its history, newest first. */
  experiment(repo: string, id: string, label: string, options?: RequestOptions): Promise<ExperimentStatus> {
    return this.call('GET', `${promptPath(repo, id)}/experiments/${seg(label)}`, undefined, undefined, options);
  }

  /** Stops the running experiment; with `promote`, concludes it by moving the label to that variant. */
  stopExperiment(repo: string, id: string, label: string, body: { promote?: string; reason?: string; expected?: string } = {}, options?: RequestOptions): Promise<ExperimentChangeAnswer> {
    return this.call('DELETE', `${promptPath(repo, id)}/experiments/${seg(label)}`, undefined, body, options);
  }

  recordUsage(events: UsageEvent[], options?: RequestOptions): Promise<Record<string, unknown>> {
    return this.call('POST', '/api/v1/usage', undefined, { events }, options);
  }

  /** Per-version metrics of one prompt. */
  usage(repo: string, id: string, query: { since?: string; version?: string } = {}, options?: RequestOptions): Promise<UsageMetrics> {
    return this.call('GET', `${promptPath(repo, id)}/usage`, query, undefined, options);
  }

  /** Calls and success rate per version per UTC hour or day, for charts. */
  usageSeries(repo: string, id: string, bucket: 'hour' | 'day', query: { since?: string; version?: string } = {}, options?: RequestOptions): Promise<UsageSeries> {
    return this.call('GET', `${promptPath(repo, id)}/usage`, { ...query, bucket }, undefined, options);
  }

  /**
   * Asks the forge's LLM to review a version. Waits as long as the model takes (pass
   * `timeoutMs` for more than the client's default); never writes.
   */
  review(repo: string, id: string, body: ReviewRequest = {}, options?: RequestOptions): Promise<Review> {
    return this.call('POST', `${promptPath(repo, id)}/review`, undefined, body, options);
  }

  /** Commits a revised file as a draft on a new `review/ID-YYYYMMDD` branch, never on the default branch. */
  applyReview(repo: string, id: string, body: ApplyReviewRequest, options?: RequestOptions): Promise<Draft> {
    return this.call('POST', `${promptPath(repo, id)}/review/apply`, undefined, body, options);
  }

  /**
   * Follows `GET /api/v1/events` until `signal` aborts, reconnecting with backoff and
   * resuming from the last event seen. Resolves when aborted; never rejects.
   */
  events(onEvent: (event: ForgeEvent) => void, options: FollowOptions = {}): Promise<void> {
    return followStream(
      async (lastEventId, signal) => {
        const headers: Record<string, string> = { ...this.headers, accept: 'text/event-stream' };
        if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
        const path = `${this.prefix}/api/v1/events`;
        let res;
        try {
          // No body timeout: the stream is quiet between events by design.
          res = await this.pool.request({ method: 'GET', path, headers, signal, headersTimeout: this.timeoutMs, bodyTimeout: 0 });
        } catch (error) {
          throw unreachable(this.url, error);
        }
        if (res.statusCode !== 200) throw apiError(res.statusCode, await res.body.text(), `GET ${path}`);
        return res.body as AsyncIterable<Uint8Array>;
      },
      (message) => {
        let data: ForgeEvent['data'];
        try {
          data = JSON.parse(message.data);
        } catch {
          data = { raw: message.data };
        }
        onEvent({ type: message.event, eventId: message.id, data: data && typeof data === 'object' ? data : { value: data } });
      },
      options,
    );
  }

  /** Closes the keep-alive connections. */
  async close(): Promise<void> {
    await Promise.all([this.pool.destroy(), this.primaryClient?.close()]);
  }

  private async call<T>(method: string, path: string, query: Query | undefined, body: unknown, options: RequestOptions = {}): Promise<T> {
    const { status, text } = await this.exchange(method, path, query, body, options);
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ForgeApiError(status, 'invalid_response', `${method} ${path} answered ${status} with a body that is not JSON`, `${method} ${path}`);
    }
  }

  /** One request; a 4xx/5xx answer throws `ForgeApiError`, 304 comes back as it is. */
  private async exchange(method: string, path: string, query: Query | undefined, body: unknown, options: RequestOptions = {}, extra?: Record<string, string>): Promise<{ status: number; text: string; headers: Record<string, string | string[] | undefined> }> {
    const full = this.prefix + path + queryString(query);
    const timeout = options.timeoutMs ?? this.timeoutMs;
    // A timer of our own: undici's timeouts tick at about one second, too coarse for apps
    // that give the forge a few hundred milliseconds.
    const deadline = AbortSignal.timeout(timeout);
    const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
    let status: number;
    let text: string;
    let headers: Record<string, string | string[] | undefined>;
    try {
      const base = body === undefined ? this.headers : { ...this.headers, 'content-type': 'application/json' };
      const res = await this.pool.request({
        method: method as 'GET',
        path: full,
        headers: extra ? { ...base, ...extra } : base,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
      status = res.statusCode;
      headers = res.headers;
      text = await res.body.text();
    } catch (error) {
      throw unreachable(this.url, deadline.aborted ? `timed out after ${timeout} ms` : error);
    }
    if (status === 421 && !this.followed) {
      // A replica refuses writes and names its primary: send the write there once.
      const primary = primaryOf(text);
      if (primary) return (this.primaryClient ??= new ForgeClient({ ...this.options, url: primary }, true)).exchange(method, path, query, body, options);
    }
    if (status >= 400) throw apiError(status, text, `${method} ${path}`);
    return { status, text, headers };
  }
}

function seg(value: string): string {
  return encodeURIComponent(value);
}

function promptPath(repo: string, id: string): string {
  return `/api/v1/repos/${seg(repo)}/prompts/${seg(id)}`;
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  let out = '';
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    out += `${out ? '&' : '?'}${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`;
  }
  return out;
}

/** Lists come either bare or wrapped in an object under their name. */
function list<T>(body: unknown, key: string): T[] {
  if (Array.isArray(body)) return body as T[];
  const inner = (body as Record<string, unknown> | undefined)?.[key];
  return Array.isArray(inner) ? (inner as T[]) : [];
}

/** The primary a `read_only_replica` answer names, if any. */
function primaryOf(text: string): string | undefined {
  try {
    const error = (JSON.parse(text) as { error?: { code?: unknown; primary?: unknown } }).error;
    return error?.code === 'read_only_replica' && typeof error.primary === 'string' && /^https?:\/\//.test(error.primary) ? error.primary : undefined;
  } catch {
    return undefined;
  }
}

function apiError(status: number, text: string, request: string): ForgeApiError {
  // A body without a known code (a proxy's page, a newer forge) still names a kind by its status.
  let code: ErrorCode = status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : 'invalid_response';
  let message = `${request} failed with HTTP ${status}`;
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (isErrorCode(body.error?.code)) code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
  } catch {
    // Not the API's JSON error shape (e.g. a proxy's HTML page): keep the generic message.
  }
  return new ForgeApiError(status, code, message, request);
}

function unreachable(url: string, error: unknown): ForgeUnreachableError {
  if (typeof error === 'string') return new ForgeUnreachableError(url, error);
  const e = error as { code?: string; name?: string; message?: string };
  const reason =
    e.name === 'AbortError' ? 'aborted'
    : e.code === 'ECONNREFUSED' ? 'connection refused'
    : e.code === 'ECONNRESET' || e.code === 'UND_ERR_SOCKET' ? 'connection reset'
    : e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' ? 'host not found'
    : e.code?.startsWith('UND_ERR_') && e.code.endsWith('_TIMEOUT') ? 'timed out'
    : (e.message ?? String(error));
  return new ForgeUnreachableError(url, reason, { cause: error });
}

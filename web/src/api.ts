/**
 * The forge's HTTP API, same origin. Writes are JSON bodies (the forge refuses anything
 * else); the session cookie rides along, the key never does.
 */
import { roleAllows } from '../../core/roles';

export interface Param {
  type: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  required?: boolean;
  default?: unknown;
  enum?: unknown[];
  description?: string;
}

export interface PromptSummary {
  id: string;
  path: string;
  type: 'text' | 'chat';
  description?: string;
  params: Record<string, Param>;
  tags: string[];
  status: 'draft' | 'active' | 'deprecated';
  labels: Record<string, string>;
  latest: { sha: string; release?: string; date: string };
  problems?: { code: string; message: string }[];
}

export interface Version {
  sha: string;
  release: string | null;
  releases: string[];
  labels: string[];
  author: string;
  email?: string;
  date: string;
  message: string;
}

export interface Repo {
  name: string;
  prompts: number;
  defaultBranch: string;
  branches: string[];
}

export interface Caller {
  name: string;
  role: 'read' | 'write' | 'approve' | 'admin';
}

export interface Session {
  keys: boolean;
  caller: Caller | null;
}

export interface Rendered {
  canonical: string;
  sha: string;
  text: string | null;
  messages: { role: string; content: string }[] | null;
  values: Record<string, unknown>;
}

export interface CheckProblem {
  code: string;
  message: string;
  severity: 'error' | 'warning';
  start: number;
  end: number;
  from: { line: number; character: number };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** One API call; a failure is an ApiError with the forge's code and the error's fields. */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  const res = await fetch(path, init);
  const text = await res.text();
  const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!res.ok) {
    const error = (json.error ?? {}) as Record<string, unknown>;
    throw new ApiError(res.status, String(error.code ?? 'http_error'), String(error.message ?? `HTTP ${res.status}`), error);
  }
  return json as T;
}

const seg = encodeURIComponent;
const promptPath = (repo: string, id: string) => `/api/v1/repos/${seg(repo)}/prompts/${seg(id)}`;

export const api = {
  session: () => call<Session>('GET', '/api/v1/session'),
  signIn: (key: string) => call<Session>('POST', '/api/v1/session', { key }),
  signOut: () => call<Session>('DELETE', '/api/v1/session'),
  repos: () => call<{ repos: Repo[] }>('GET', '/api/v1/repos').then((r) => r.repos),
  prompts: (repo: string) => call<{ prompts: PromptSummary[] }>('GET', `/api/v1/repos/${seg(repo)}/prompts`).then((r) => r.prompts),
  prompt: (repo: string, id: string) => call<{ prompt: PromptSummary | null }>('GET', promptPath(repo, id)).then((r) => r.prompt),
  calls: (repo: string) => call<{ calls: Record<string, number> }>('GET', `/api/v1/repos/${seg(repo)}/usage/calls?days=7`).then((r) => r.calls),
  versions: (repo: string, id: string) => call<{ versions: Version[] }>('GET', `${promptPath(repo, id)}/versions`).then((r) => r.versions),
  /** The file byte for byte from the forge's source route; the version's SHA comes in a header. */
  source: async (repo: string, id: string, version = 'HEAD'): Promise<{ sha: string; content: string }> => {
    const res = await fetch(`${promptPath(repo, id)}/source?version=${seg(version)}`, { credentials: 'same-origin' });
    const text = await res.text();
    if (!res.ok) {
      const error = ((text ? JSON.parse(text) : {}) as { error?: Record<string, unknown> }).error ?? {};
      throw new ApiError(res.status, String(error.code ?? 'http_error'), String(error.message ?? `HTTP ${res.status}`), error);
    }
    return { sha: res.headers.get('x-promptforge-sha') ?? '', content: text };
  },
  render: (uri: string, params: Record<string, unknown>) => call<Rendered>('POST', '/api/v1/render', { uri, params }),
  diff: (repo: string, id: string, from: string, to: string) =>
    call<{ diff: string; fromSha: string; toSha: string }>('GET', `${promptPath(repo, id)}/diff?from=${seg(from)}&to=${seg(to)}`),
  promote: (repo: string, id: string, label: string, version: string, expected: string | null) =>
    call<{ from: string | null; to: string; by: string }>('PUT', `${promptPath(repo, id)}/labels/${seg(label)}`, { version, expected }),
  release: (repo: string, id: string, version: string, ref: string, notes: string) =>
    call<{ version: string; sha: string }>('POST', `${promptPath(repo, id)}/releases`, { version, ref, ...(notes ? { notes } : {}) }),
  commit: (repo: string, id: string, body: { content: string; base: string; message: string; branch?: string }) =>
    call<{ sha: string; branch: string }>('PUT', promptPath(repo, id), body),
  check: (repo: string, id: string, content: string) => call<{ problems: CheckProblem[] }>('POST', `${promptPath(repo, id)}/check`, { content }),
  usage: (repo: string, id: string, since: string) =>
    call<Record<string, unknown>>('GET', `${promptPath(repo, id)}/usage?bucket=day&since=${seg(since)}`),
  requests: (repo: string, id: string, label: string) => call<{ requests: Record<string, unknown>[] }>('GET', `${promptPath(repo, id)}/labels/${seg(label)}/requests`),
};

/** `prompt://HOST/REPO/ID/VERSION` as this forge is reached from the browser. */
export function promptUri(repo: string, id: string, version?: string): string {
  return `prompt://${location.host}/${repo}/${id}${version ? `/${version}` : ''}`;
}

export const short = (sha: string) => sha.slice(0, 8);

/** Whether the signed-in caller may do what needs `need` (core's role order). */
export function may(caller: Caller | null, need: Caller['role']): boolean {
  return caller !== null && roleAllows(caller.role, need);
}

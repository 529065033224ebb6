/**
 * Where resolve, promote and release act: a local repository opened in-process
 * (`--repo NAME=PATH` or `--repo PATH`), or a running forge (`--url URL --repo NAME`,
 * key from `--key` or PROMPTFORGE_API_KEY). Both answer the same JSON as the API.
 */
import { resolve as resolvePath } from 'node:path';
import { PromptStore, openRepoFolder } from '../store';
import { UsageError, str, type Options, type Values } from './command';

export const targetOptions: Options = {
  repo: { type: 'string' },
  url: { type: 'string' },
  key: { type: 'string' },
};

export const targetHelp = `  --repo NAME=PATH | PATH   a local repository (or a folder of them); default: the current folder
  --url URL                 act on a running forge instead; then --repo names the repo
  --key KEY                 API key for --url (default: $PROMPTFORGE_API_KEY)`;

export type Target =
  | { kind: 'local'; stores: Map<string, PromptStore>; close(): Promise<void> }
  | { kind: 'remote'; url: string; key?: string; repo?: string; close(): Promise<void> };

export async function openTarget(values: Values): Promise<Target> {
  const url = str(values, 'url');
  const repo = str(values, 'repo');
  if (url) {
    if (!/^https?:\/\//.test(url)) throw new UsageError(`--url must be an http(s) URL, not "${url}"`);
    return { kind: 'remote', url: url.replace(/\/$/, ''), key: str(values, 'key') ?? process.env.PROMPTFORGE_API_KEY, repo, close: async () => {} };
  }
  const eq = repo?.indexOf('=') ?? -1;
  const stores =
    repo && eq > 0
      ? new Map([[repo.slice(0, eq), await PromptStore.open(resolvePath(repo.slice(eq + 1)), { name: repo.slice(0, eq), watch: false })]])
      : await openRepoFolder(resolvePath(repo ?? '.'), { watch: false });
  return { kind: 'local', stores, close: async () => void (await Promise.all([...stores.values()].map((s) => s.close()))) };
}

/** The one local repository a write acts on. */
export function localStore(target: Extract<Target, { kind: 'local' }>): PromptStore {
  if (target.stores.size === 1) return [...target.stores.values()][0];
  throw new UsageError(`that folder holds several repos (${[...target.stores.keys()].join(', ')}); pick one with --repo PATH`);
}

/** Calls the forge API; an error answer becomes an Error with the forge's message. */
export async function callForge(target: Extract<Target, { kind: 'remote' }>, method: string, path: string, body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (target.key) headers.authorization = `Bearer ${target.key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(target.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new Error(`cannot reach the forge at ${target.url}: ${(error as { cause?: Error }).cause?.message ?? (error as Error).message}`);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw new Error(`${target.url} answered ${res.status} with something that is not JSON`);
  }
  if (!res.ok) {
    const error = (json as { error?: { code?: string; message?: string } })?.error;
    throw new Error(`${error?.message ?? `HTTP ${res.status}`}${error?.code ? ` (${error.code})` : ''}`);
  }
  return json;
}

export function remoteRepo(target: Extract<Target, { kind: 'remote' }>): string {
  if (!target.repo) throw new UsageError('with --url, name the repo with --repo NAME');
  return encodeURIComponent(target.repo);
}

/**
 * `prompt://HOST/REPO/ID[/VERSION][?NAME=VALUE…]` as the resolve routes take it. The
 * forge serves every HOST: a client that sent the URI here already mapped HOST to this
 * forge, so the host is kept as given and echoed in the canonical URI.
 */
import { HttpError } from './errors';

export interface ForgeUri {
  host: string;
  repo: string;
  id: string;
  /** Absent = HEAD. */
  version?: string;
  params: Record<string, string>;
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function invalid(uri: string, why: string): HttpError {
  return new HttpError(400, 'invalid_uri', `invalid prompt URI ${JSON.stringify(uri.length > 200 ? uri.slice(0, 200) + '…' : uri)}: ${why}`);
}

function decode(uri: string, text: string, what: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw invalid(uri, `${what} ${JSON.stringify(text)} is not valid percent-encoding`);
  }
}

export function parseForgeUri(uri: unknown): ForgeUri {
  if (typeof uri !== 'string' || uri === '') throw new HttpError(400, 'invalid_uri', 'give the prompt URI, e.g. uri=prompt://localhost:7070/demo/welcome/production');
  const match = /^prompt:\/\/([^/?#]+)\/([^/?#]*)\/([^/?#]*)(?:\/([^?#]*))?(?:\?([^#]*))?$/.exec(uri);
  if (!match) throw invalid(uri, 'expected prompt://HOST/REPO/ID[/VERSION][?name=value…]');
  const [, host, repo, id, rawVersion, query] = match;
  if (!SEGMENT.test(repo)) throw invalid(uri, `repo ${JSON.stringify(repo)} must use letters, digits, ".", "_" and "-"`);
  if (!SEGMENT.test(id)) throw invalid(uri, `prompt id ${JSON.stringify(id)} must use letters, digits, ".", "_" and "-"`);
  const version = rawVersion === undefined || rawVersion === '' ? undefined : decode(uri, rawVersion, 'version');
  const params: Record<string, string> = {};
  for (const pair of query ? query.split('&') : []) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(uri, eq < 0 ? pair : pair.slice(0, eq), 'parameter name');
    if (Object.hasOwn(params, name)) throw invalid(uri, `parameter "${name}" is given twice`);
    params[name] = eq < 0 ? '' : decode(uri, pair.slice(eq + 1), `value of "${name}"`);
  }
  return { host, repo, id, version, params };
}

export function formatForgeUri(uri: ForgeUri): string {
  const query = Object.entries(uri.params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const version = uri.version === undefined ? '' : '/' + uri.version.split('/').map(encodeURIComponent).join('/');
  return `prompt://${uri.host}/${uri.repo}/${uri.id}${version}${query ? '?' + query : ''}`;
}

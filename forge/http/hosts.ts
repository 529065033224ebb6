/**
 * Which `Host` a request may name, and which `Origin` a browser write may come from
 * (DESIGN §4). A web page can reach a forge on loopback by DNS rebinding (its own name
 * pointed at 127.0.0.1: the browser then sends `Host: evil.example`) or by a cross-site
 * request (`Origin: https://evil.example`). A keyless local forge trusts every caller,
 * so both are refused before routing: 421 `misdirected_host`, 403 `origin_not_allowed`.
 *
 * A request may name: `localhost`, `127.0.0.1` or `[::1]` with any port (a rebinding
 * page never sends those, and a local proxy in front of the forge may have its own
 * port); the bind address with the port (any IP literal when bound to every interface: rebinding
 * always sends a name, never an IP); or a `publicHosts` entry (`name` = any port,
 * `name:port` = that port), for proxies and DNS names that reach the forge.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors';

export interface HostName {
  /** Lower case; an IPv6 address keeps its brackets. */
  name: string;
  port?: number;
}

// Linear to match (no nested quantifiers that overlap): headers come from anyone.
const NAME = /^(?:\[[0-9a-f:.]+\]|[a-z0-9_-]+(?:\.[a-z0-9_-]+)*)$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** `name`, `name:port`, `[v6]` or `[v6]:port`; null for anything else (schemes, paths, userinfo). */
export function parseHostName(text: string): HostName | null {
  if (text.length > 300) return null;
  const match = /^(.*?)(?::(\d{1,5}))?$/.exec(text.trim().toLowerCase());
  if (!match) return null;
  const name = match[1].replace(/\.$/, '');
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (!NAME.test(name) || (port !== undefined && port > 65535)) return null;
  return port === undefined ? { name } : { name, port };
}

const isIpLiteral = (name: string) => IPV4.test(name) || name.startsWith('[');
const WILDCARD = new Set(['0.0.0.0', '[::]', '']);
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

export class HostPolicy {
  private readonly bind: string;
  private readonly publicHosts: HostName[];

  constructor(bind: string, publicHosts: readonly string[]) {
    this.bind = bind.includes(':') && !bind.startsWith('[') ? `[${bind.toLowerCase()}]` : bind.toLowerCase();
    this.publicHosts = publicHosts.map((h) => parseHostName(h)).filter((h): h is HostName => h !== null);
  }

  /**
   * Whether `host` (as a client wrote it) names this forge listening on `port`. An
   * `Origin` must match the port too: another local server's page is another site.
   */
  allows(host: HostName, port: number, as: 'host' | 'origin' = 'host'): boolean {
    const samePort = (host.port ?? 80) === port;
    if (as === 'host' && LOOPBACK.includes(host.name)) return true;
    if (samePort && [...LOOPBACK, this.bind].includes(host.name)) return true;
    if (samePort && WILDCARD.has(this.bind) && isIpLiteral(host.name)) return true;
    return this.publicHosts.some((p) => p.name === host.name && (p.port === undefined || p.port === host.port));
  }

  /** The names a client may use, for the error message. */
  describe(port: number): string {
    const local = [...LOOPBACK, ...(WILDCARD.has(this.bind) ? ['any IP address of this machine'] : [this.bind])];
    const names = [...new Set(local)].map((n) => (n.startsWith('any') ? n : `${n}:${port}`));
    return [...names, ...this.publicHosts.map((p) => (p.port === undefined ? p.name : `${p.name}:${p.port}`))].join(', ');
  }

  /** Throws unless the request names this forge and, for a browser write, comes from a page of it. */
  check(req: IncomingMessage): void {
    const port = req.socket.localPort ?? 0;
    const raw = req.headers.host ?? '';
    const host = parseHostName(raw);
    if (!host || !this.allows(host, port)) {
      throw new HttpError(
        'misdirected_host',
        `this forge does not answer to Host ${JSON.stringify(raw)}; it answers to ${this.describe(port)}. To reach it under another name, add that name to publicHosts in forge.yaml`,
      );
    }
    const origin = req.headers.origin;
    if (origin === undefined || !WRITES.has(req.method ?? '')) return;
    const from = originHost(origin);
    if (!from || !this.allows(from, port, 'origin')) {
      throw new HttpError('origin_not_allowed', `a browser page from ${JSON.stringify(origin)} may not write to this forge; writes from a browser must come from a page the forge serves (${this.describe(port)})`);
    }
  }
}

const WRITES = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

/** `https://name:port` → its host with the scheme's default port made explicit; null for `null` and other schemes. */
function originHost(origin: string): HostName | null {
  const match = /^(https?):\/\/([^/?#@]+)$/i.exec(origin.trim());
  if (!match) return null;
  const host = parseHostName(match[2]);
  if (!host) return null;
  return host.port === undefined ? { ...host, port: match[1].toLowerCase() === 'https' ? 443 : 80 } : host;
}

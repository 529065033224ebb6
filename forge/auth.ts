/**
 * API keys. A key is 32 random bytes shown once when created; the config keeps only its
 * SHA-256 (a high-entropy key needs no slow hash), compared in constant time. Roles are
 * ordered read < write < approve < admin (core/policy.ts). A forge without keys trusts every caller, which is why
 * it only binds to loopback then.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ROLES, roleAllows, type Role } from '../core/policy';
import { HttpError } from './http/errors';

export { ROLES, roleAllows, type Role };

export interface KeyEntry {
  name: string;
  role: Role;
  /** `sha256:` + 64 hex digits. */
  hash: string;
}

/** Who is calling: the key's name becomes the author of commits and promotions. */
export interface Caller {
  name: string;
  role: Role;
}

const KEY_PREFIX = 'pf_';
export const LOCAL_CALLER: Caller = { name: 'local', role: 'admin' };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function generateKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function hashKey(key: string): string {
  return 'sha256:' + createHash('sha256').update(key, 'utf8').digest('hex');
}

export class KeyRing {
  private readonly digests: { entry: KeyEntry; digest: Buffer }[];

  constructor(readonly keys: KeyEntry[]) {
    this.digests = keys.map((entry) => ({ entry, digest: Buffer.from(entry.hash.slice('sha256:'.length), 'hex') }));
  }

  get enabled(): boolean {
    return this.keys.length > 0;
  }

  /**
   * The caller of a request with this `Authorization` header, or 401/403. Without the
   * header, `session` (the caller of the request's console session cookie) stands in.
   */
  authorize(header: string | undefined, need: Role | 'none', session?: Caller): Caller {
    if (!this.enabled) return LOCAL_CALLER;
    if (need === 'none') return { name: 'anonymous', role: 'read' };
    if (header === undefined && session) {
      if (!roleAllows(session.role, need)) throw new HttpError('forbidden', `key "${session.name}" has role ${session.role}; this needs ${need}`);
      return session;
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!match) throw new HttpError('unauthorized', 'this forge needs an API key: send "Authorization: Bearer KEY"', undefined, { 'www-authenticate': 'Bearer' });
    return this.check(match[1], need);
  }

  /** The caller holding `key`, or 401/403. */
  check(key: string, need: Role): Caller {
    const digest = createHash('sha256').update(key, 'utf8').digest();
    // Compare against every key so the time taken says nothing about which one matched.
    let found: KeyEntry | undefined;
    for (const { entry, digest: known } of this.digests) {
      if (known.length === digest.length && timingSafeEqual(known, digest) && !found) found = entry;
    }
    if (!found) throw new HttpError('unauthorized', 'the API key is not valid for this forge', undefined, { 'www-authenticate': 'Bearer' });
    if (!roleAllows(found.role, need)) throw new HttpError('forbidden', `key "${found.name}" has role ${found.role}; this needs ${need}`);
    return { name: found.name, role: found.role };
  }
}

/**
 * Browser sessions of the web console: signing in with a key gives a random session id
 * in an HttpOnly, SameSite=Strict cookie, so the key itself never stays in the page. Kept
 * in memory only: a restart signs everyone out.
 */
export const SESSION_COOKIE = 'pf_session';
const SESSION_TTL_MS = 12 * 3_600_000;

export class SessionStore {
  private readonly sessions = new Map<string, { caller: Caller; expires: number }>();

  constructor(private readonly ttlMs = SESSION_TTL_MS) {}

  create(caller: Caller): string {
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, { caller, expires: Date.now() + this.ttlMs });
    return id;
  }

  /** The caller of a live session, or undefined (an unknown or expired id). */
  get(id: string | undefined): Caller | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.expires < Date.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session.caller;
  }

  delete(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }
}

/** The session id in a `Cookie` header, if any. */
export function sessionIdOf(cookie: string | undefined): string | undefined {
  for (const part of (cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

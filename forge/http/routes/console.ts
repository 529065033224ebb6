/**
 * The web console (DESIGN §10): its page and assets from dist/web, the sign-in session,
 * and the editor's check of unsaved text.
 *
 * The page is sent with a strict Content-Security-Policy (scripts and styles only from
 * this origin, nothing inline, no framing); assets have content hashes in their names, so
 * they are cached for a year as immutable and the page itself is revalidated each time.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkPromptFile, PROMPT_FILE_CHECK_SEVERITY } from '../../../core/promptCheck';
import { parsePromptFile, type PromptFile } from '../../../core/promptFile';
import { templatePartials } from '../../../core/template';
import { LineIndex } from '../../../core/text';
import { SESSION_COOKIE, sessionIdOf } from '../../auth';
import { listRequests, REQUESTS_REF } from '../../governance/requests';
import type { PromptStore } from '../../store';
import { gitText } from '../../store/git/run';
import type { RequestContext } from '../context';
import { SessionBody } from '../../../core/wire';
import { Reply } from '../context';
import { HttpError } from '../errors';
import type { Route } from '../router';

/**
 * Scripts only from this origin. Styles too, plus `<style>` elements that carry this
 * response's nonce: the editor (CodeMirror) writes its base theme into one, and reads the
 * nonce from the page's `csp-nonce` meta tag.
 */
export const consoleCsp = (nonce: string) => [
  "default-src 'none'",
  "script-src 'self'",
  `style-src 'self' 'nonce-${nonce}'`,
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json; charset=utf-8', '.svg': 'image/svg+xml' };

/** dist/web, found from the bundled CLI (dist/forge) or the sources (forge/http/routes under tsx). */
function webRoot(): string | undefined {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = dirname(dir)) {
    for (const candidate of [join(dir, 'web'), join(dir, 'dist/web')]) if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  return undefined;
}

const cache = new Map<string, Buffer>();
function asset(name: string): Buffer | undefined {
  const root = webRoot();
  if (!root) return undefined;
  const path = join(root, name);
  if (!cache.has(path)) {
    if (!existsSync(path)) return undefined;
    cache.set(path, readFileSync(path));
  }
  return cache.get(path);
}

const SECURITY = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' };

/** Secure too when the browser reached the forge over HTTPS (through a proxy that says so). */
function sessionCookie(ctx: RequestContext, value: string, maxAge: number): string {
  const https = String(ctx.req.headers['x-forwarded-proto'] ?? '').split(',')[0].trim() === 'https';
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${https ? '; Secure' : ''}`;
}

/** Ids of every prompt the text's partials reach, read at the tip of the default branch. */
async function partialsOf(store: PromptStore, file: PromptFile): Promise<Map<string, PromptFile>> {
  const found = new Map<string, PromptFile>();
  const pending = templatePartials(file.body).map((p) => p.id);
  for (let id = pending.pop(); id !== undefined && found.size < 100; id = pending.pop()) {
    if (found.has(id)) continue;
    const other = await store.resolve(id, 'HEAD').catch(() => undefined);
    if (!other) continue;
    found.set(id, other.file);
    pending.push(...templatePartials(other.file.body).map((p) => p.id));
  }
  return found;
}

export const consoleRoutes: Route<RequestContext>[] = [
  {
    method: 'GET',
    path: '/',
    role: 'none',
    handle: () => {
      const page = asset('index.html');
      if (!page) throw new HttpError('console_not_built', 'the web console is not built: run `npm run build`');
      const nonce = randomBytes(18).toString('base64');
      const html = page.toString('utf8').replace('%NONCE%', nonce);
      return new Reply(200, html, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': consoleCsp(nonce), ...SECURITY });
    },
  },
  {
    method: 'GET',
    path: '/assets/:file',
    role: 'none',
    handle: (_ctx, { file }) => {
      const ext = /\.[a-z]+$/.exec(file)?.[0] ?? '';
      const body = /^[\w.-]+$/.test(file) && TYPES[ext] ? asset(`assets/${file}`) : undefined;
      if (!body) throw new HttpError('asset_not_found', `no console asset "${file}"`);
      return new Reply(200, body, { 'content-type': TYPES[ext], 'cache-control': 'public, max-age=31536000, immutable', ...SECURITY });
    },
  },
  {
    method: 'GET',
    path: '/api/v1/session',
    role: 'none',
    handle: (ctx) => {
      if (!ctx.forge.keys.enabled) return { keys: false, caller: { name: 'local', role: 'admin' } };
      const caller = ctx.forge.sessions.get(sessionIdOf(ctx.req.headers.cookie));
      return { keys: true, caller: caller ?? null };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/session',
    role: 'none',
    handle: async (ctx) => {
      const { key } = await ctx.bodyAs(SessionBody);
      if (!ctx.forge.keys.enabled) throw new HttpError('keys_not_enabled', 'this forge has no API keys: every caller may use it without signing in');
      const caller = ctx.forge.keys.check(key, 'read');
      ctx.forge.sessions.delete(sessionIdOf(ctx.req.headers.cookie));
      const id = ctx.forge.sessions.create(caller);
      return new Reply(200, { keys: true, caller }, { 'set-cookie': sessionCookie(ctx, id, 12 * 3600), 'cache-control': 'no-store' });
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/session',
    role: 'none',
    handle: (ctx) => {
      ctx.forge.sessions.delete(sessionIdOf(ctx.req.headers.cookie));
      return new Reply(200, { keys: ctx.forge.keys.enabled, caller: null }, { 'set-cookie': sessionCookie(ctx, '', 0) });
    },
  },
  {
    // Calls per prompt over the last days (default 7), for the catalog's column.
    method: 'GET',
    path: '/api/v1/repos/:repo/usage/calls',
    role: 'read',
    handle: async (ctx, { repo }) => {
      ctx.store(repo);
      const days = Number(ctx.query('days') ?? 7);
      if (!Number.isInteger(days) || days < 1 || days > 366) throw new HttpError('invalid_query', `"days" must be a whole number from 1 to 366 (got ${JSON.stringify(ctx.query('days'))})`);
      const since = Date.now() - (days - 1) * 86_400_000;
      return { repo, days, calls: ctx.forge.usage.callsByPrompt ? await ctx.forge.usage.callsByPrompt(repo, since) : {} };
    },
  },
  {
    // One prompt's catalog row, so a prompt page does not fetch the whole catalog.
    method: 'GET',
    path: '/api/v1/repos/:repo/prompts/:id',
    role: 'read',
    handle: (ctx, { repo, id }) => {
      const store = ctx.store(repo);
      const found = store.listPrompts().find((p) => p.id === id);
      if (!found) store.versions(id); // prompt_not_found, or a prompt only on other branches
      return { prompt: found ?? null };
    },
  },
  {
    // Every promotion request of a prompt, whatever the label (one may not exist yet).
    method: 'GET',
    path: '/api/v1/repos/:repo/prompts/:id/requests',
    role: 'read',
    handle: async (ctx, { repo, id }) => {
      const store = ctx.store(repo);
      store.versions(id); // prompt_not_found, invalid_name
      const names = await gitText(store.gitDir, ['ls-tree', '--name-only', '-z', `${REQUESTS_REF}:${id}`]).catch(() => '');
      const labels = names.split('\0').filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length));
      const lists = await Promise.all(labels.map((label) => listRequests(store, id, label)));
      return { requests: lists.flat().sort((a, b) => (a.requested.at < b.requested.at ? 1 : a.requested.at > b.requested.at ? -1 : 0)) };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/repos/:repo/prompts/:id/check',
    role: 'read',
    handle: async (ctx, { repo, id }) => {
      const store = ctx.store(repo);
      const content = (await ctx.body()).content;
      if (typeof content !== 'string') throw new HttpError(content === undefined ? 'missing_field' : 'invalid_field', 'the body needs "content": the text of the .prompt file');
      const { file, problems } = parsePromptFile(content);
      const partials = await partialsOf(store, file);
      const lines = new LineIndex(content);
      const findings = checkPromptFile(id, file, problems, (pid) => (pid === id ? file : partials.get(pid)));
      return {
        repo,
        id,
        problems: findings.map((f) => ({ ...f, severity: PROMPT_FILE_CHECK_SEVERITY[f.code], from: lines.position(f.start), to: lines.position(f.end) })),
      };
    },
  },
];

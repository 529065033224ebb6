/** Read routes over the catalog: liveness, repos, prompts, history, diffs. */
import type { Route } from '../router';
import { HttpError } from '../errors';
import type { RequestContext } from '../context';

export const catalogRoutes: Route<RequestContext>[] = [
  {
    method: 'GET',
    path: '/healthz',
    role: 'none',
    handle: (ctx) => ({ ok: true, repos: ctx.forge.stores.size, ...(ctx.forge.replication ? { replication: ctx.forge.replication.status() } : {}) }),
  },
  {
    method: 'GET',
    path: '/api/v1/repos',
    role: 'read',
    handle: (ctx) => ({
      repos: [...ctx.forge.stores.values()].map((store) => ({
        name: store.name,
        prompts: store.listPrompts().length,
        defaultBranch: store.defaultBranch(),
        branches: store.branches(),
      })),
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/repos/:repo/prompts',
    role: 'read',
    handle: (ctx, { repo }) => ({ prompts: ctx.store(repo).listPrompts() }),
  },
  {
    method: 'GET',
    path: '/api/v1/repos/:repo/versions',
    role: 'read',
    // Every prompt's history in one answer, so an editor indexes a repo with one request, not one per prompt.
    handle: (ctx, { repo }) => {
      const store = ctx.store(repo);
      const versions: Record<string, unknown[]> = {};
      for (const { id } of store.listPrompts()) versions[id] = store.versions(id).map((v) => ({ ...v, release: v.release ?? null }));
      return { versions };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/repos/:repo/prompts/:id/versions',
    role: 'read',
    handle: (ctx, { repo, id }) => ({
      versions: ctx.store(repo).versions(id, ctx.query('branch')).map((v) => ({ ...v, release: v.release ?? null })),
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/repos/:repo/prompts/:id/diff',
    role: 'read',
    handle: async (ctx, { repo, id }) => {
      const from = ctx.query('from');
      const to = ctx.query('to') ?? 'HEAD';
      if (!from) throw new HttpError('missing_query', 'give the older version as ?from=… (and optionally ?to=…, default HEAD)');
      const diff = await ctx.store(repo).diff(id, from, to);
      return { repo, id, from, to, fromSha: diff.from.sha, toSha: diff.to.sha, diff: diff.patch };
    },
  },
];

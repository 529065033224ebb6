/**
 * Writes: promote a label (compare-and-swap), tag a release, commit a new version. The
 * author is the calling key's name. The store answers only after git has the write.
 */
import type { PromotionRecord } from '../../store';
import type { RequestContext } from '../context';
import { Reply, field, optionalField } from '../context';
import type { Route } from '../router';

const move = (repo: string, r: PromotionRecord) => ({ repo, ...r, by: r.actor.name });

export const writeRoutes: Route<RequestContext>[] = [
  {
    method: 'PUT',
    path: '/api/v1/repos/:repo/prompts/:id/labels/:label',
    role: 'write',
    handle: async (ctx, { repo, id, label }) => {
      const store = ctx.store(repo);
      const body = await ctx.body();
      const record = await store.promote(id, label, field(body, 'version'), optionalField(body, 'expected'), ctx.actor);
      return move(repo, record);
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/repos/:repo/prompts/:id/labels/:label',
    role: 'write',
    handle: async (ctx, { repo, id, label }) => {
      const store = ctx.store(repo);
      const body = await ctx.body();
      return move(repo, await store.deleteLabel(id, label, field(body, 'expected'), ctx.actor));
    },
  },
  {
    method: 'GET',
    path: '/api/v1/repos/:repo/prompts/:id/labels/:label/history',
    role: 'read',
    handle: async (ctx, { repo, id, label }) => ({ history: (await ctx.store(repo).labelHistory(id, label)).map((r) => move(repo, r)) }),
  },
  {
    method: 'POST',
    path: '/api/v1/repos/:repo/prompts/:id/releases',
    role: 'write',
    handle: async (ctx, { repo, id }) => {
      const store = ctx.store(repo);
      const body = await ctx.body();
      const info = await store.release(id, field(body, 'version'), optionalField(body, 'ref') ?? undefined, optionalField(body, 'notes') ?? undefined, ctx.actor);
      return new Reply(201, { repo, ...info, by: info.actor.name });
    },
  },
  {
    method: 'PUT',
    path: '/api/v1/repos/:repo/prompts/:id',
    role: 'write',
    handle: async (ctx, { repo, id }) => {
      const store = ctx.store(repo);
      const body = await ctx.body();
      const result = await store.commitPrompt(
        id,
        {
          content: field(body, 'content'),
          message: optionalField(body, 'message') ?? `Update ${id}`,
          base: optionalField(body, 'base'),
          branch: optionalField(body, 'branch') ?? undefined,
          path: optionalField(body, 'path') ?? undefined,
        },
        ctx.actor,
      );
      return { repo, id, ...result };
    },
  },
];

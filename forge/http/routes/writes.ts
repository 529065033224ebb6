/**
 * Writes: promote a label (compare-and-swap), tag a release, commit a new version. The
 * author is the calling key's name. The store answers only after git has the write.
 */
import type { PromotionRecord } from '../../store';
import type { RequestContext } from '../context';
import { CommitBody, PromoteBody, ReleaseBody } from '../../../core/wire';
import { Reply } from '../context';
import type { Route } from '../router';

const move = (repo: string, r: PromotionRecord) => ({ repo, ...r, by: r.actor.name });

export const writeRoutes: Route<RequestContext>[] = [
  {
    method: 'PUT',
    path: '/api/v1/repos/:repo/prompts/:id/labels/:label',
    role: 'write',
    handle: async (ctx, { repo, id, label }) => {
      const store = ctx.store(repo);
      const body = await ctx.bodyAs(PromoteBody);
      const record = await store.promote(id, label, body.version, body.expected, ctx.actor);
      return move(repo, record);
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
      const body = await ctx.bodyAs(ReleaseBody);
      const info = await store.release(id, body.version, body.ref ?? undefined, body.notes ?? undefined, ctx.actor);
      return new Reply(201, { repo, ...info, by: info.actor.name });
    },
  },
  {
    method: 'PUT',
    path: '/api/v1/repos/:repo/prompts/:id',
    role: 'write',
    handle: async (ctx, { repo, id }) => {
      const store = ctx.store(repo);
      const body = await ctx.bodyAs(CommitBody);
      const result = await store.commitPrompt(
        id,
        {
          content: body.content,
          message: body.message ?? `Update ${id}`,
          base: body.base,
          branch: body.branch ?? undefined,
          path: body.path ?? undefined,
        },
        ctx.actor,
      );
      return { repo, id, ...result };
    },
  },
];

/**
 * Review with an LLM (reads only) and applying a suggestion as a draft commit on its own
 * `review/ID-DATE` branch, never on the default branch.
 */
import { applyDraft, reviewVersion } from '../../review/review';
import type { RequestContext } from '../context';
import { ApplyReviewBody, ReviewBody } from '../../../core/wire';
import { Reply } from '../context';
import type { Route } from '../router';

export const reviewRoutes: Route<RequestContext>[] = [
  {
    method: 'POST',
    path: '/api/v1/repos/:repo/prompts/:id/review',
    role: 'write',
    handle: async (ctx, { repo, id }) => {
      const store = ctx.store(repo);
      const body = await ctx.bodyAs(ReviewBody);
      const request = { version: body.version ?? undefined, instruction: body.instruction ?? undefined };
      return reviewVersion({ store, usage: ctx.forge.usage }, repo, id, request, ctx.forge.llm);
    },
  },
  {
    method: 'POST',
    path: '/api/v1/repos/:repo/prompts/:id/review/apply',
    role: 'write',
    handle: async (ctx, { repo, id }) => {
      const store = ctx.store(repo);
      const body = await ctx.bodyAs(ApplyReviewBody);
      const result = await applyDraft(store, id, { content: body.content, base: body.base, message: body.message ?? undefined }, ctx.actor);
      return new Reply(201, { repo, id, ...result });
    },
  },
];

/**
 * Review with an LLM (reads only) and applying a suggestion as a draft commit on its own
 * `review/ID-DATE` branch, never on the default branch.
 */
import { applyDraft, reviewVersion } from '../../review/review';
import type { RequestContext } from '../context';
import { Reply, field, optionalField } from '../context';
import type { Route } from '../router';

export const reviewRoutes: Route<RequestContext>[] = [
  {
    method: 'POST',
    path: '/api/v1/repos/:repo/prompts/:id/review',
    role: 'write',
    handle: async (ctx, { repo, id }) => {
      const store = ctx.store(repo);
      const body = await ctx.body();
      const request = { version: optionalField(body, 'version') ?? undefined, instruction: optionalField(body, 'instruction') ?? undefined };
      return reviewVersion({ store, usage: ctx.forge.usage }, repo, id, request, ctx.forge.llm);
    },
  },
  {
    method: 'POST',
    path: '/api/v1/repos/:repo/prompts/:id/review/apply',
    role: 'write',
    handle: async (ctx, { repo, id }) => {
      const store = ctx.store(repo);
      const body = await ctx.body();
      const result = await applyDraft(store, id, { content: field(body, 'content'), base: field(body, 'base'), message: optionalField(body, 'message') ?? undefined }, ctx.actor);
      return new Reply(201, { repo, id, ...result });
    },
  },
];

/**
 * Review with an LLM (reads only) and applying a suggestion as a draft commit on its own
 * `review/ID-DATE` branch, never on the default branch.
 */
import { buildBundle, MAX_SAMPLES } from '../../review/bundle';
import { applyDraft, review } from '../../review/review';
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
      const version = await store.resolve(id, optionalField(body, 'version') ?? undefined);
      const usage = ctx.forge.usage;
      const bundle = buildBundle({
        repo,
        id,
        sha: version.sha,
        release: version.release ?? null,
        labels: version.labels,
        source: version.source,
        template: version.file.body,
        params: version.file.params,
        metrics: usage.metrics(repo, id, { sha: version.sha }).versions[0] ?? null,
        samples: usage.samples(repo, id, { sha: version.sha, limit: MAX_SAMPLES }),
      });
      return review(bundle, ctx.forge.llm, optionalField(body, 'instruction') ?? undefined);
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

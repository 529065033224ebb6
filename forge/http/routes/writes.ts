/**
 * Writes: promote a label (compare-and-swap), tag a release, commit a new version. The
 * author is the calling key's name. The store answers only after git has the write.
 */
import { enforceGate } from '../../governance/gate';
import type { PromotionRecord, PromptStore } from '../../store';
import { HttpError } from '../errors';
import type { RequestContext } from '../context';
import { CommitBody, DeleteLabelBody, PromoteBody, ReleaseBody } from '../../../core/wire';
import { Reply } from '../context';
import type { Route } from '../router';

/**
 * An empty history is an answer only for a label that exists (made with plain git);
 * for a prompt or label that was never there it is 404, not a quiet `[]`.
 */
async function labelMustExist(store: PromptStore, id: string, label: string): Promise<void> {
  const labels = new Set(store.versions(id).flatMap((v) => v.labels)); // prompt_not_found when it never existed
  if ((await store.resolve(id, label).catch(() => null))?.kind === 'label') return;
  const known = [...labels].sort();
  throw new HttpError('label_not_found', `prompt "${id}" has no label "${label}"; ${known.length > 0 ? `its labels: ${known.join(', ')}` : 'it has no labels'}`, { id, label });
}

const move = (repo: string, r: PromotionRecord) => ({ repo, ...r, by: r.actor.name });

export const writeRoutes: Route<RequestContext>[] = [
  {
    method: 'PUT',
    path: '/api/v1/repos/:repo/prompts/:id/labels/:label',
    role: 'write',
    handle: async (ctx, { repo, id, label }) => {
      const store = ctx.store(repo);
      const body = await ctx.bodyAs(PromoteBody);
      await enforceGate(store, id, label, (await store.resolve(id, body.version)).sha, { by: ctx.caller.name, role: ctx.caller.role });
      const record = await store.promote(id, label, body.version, body.expected, ctx.actor);
      return move(repo, record);
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/repos/:repo/prompts/:id/labels/:label',
    role: 'write',
    handle: async (ctx, { repo, id, label }) => {
      const store = ctx.store(repo);
      const body = await ctx.bodyAs(DeleteLabelBody);
      return move(repo, await store.deleteLabel(id, label, body.expected, ctx.actor));
    },
  },
  {
    method: 'GET',
    path: '/api/v1/repos/:repo/prompts/:id/labels/:label/history',
    role: 'read',
    handle: async (ctx, { repo, id, label }) => {
      const store = ctx.store(repo);
      const history = await store.labelHistory(id, label);
      if (history.length === 0) await labelMustExist(store, id, label);
      return { history: history.map((r) => move(repo, r)) };
    },
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

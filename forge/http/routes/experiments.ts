/**
 * Experiments on a label (DESIGN §7): start or change (PUT), read with live results
 * per variant (GET), stop or conclude (DELETE with `{promote}`).
 */
import { experimentResults } from '../../../core/experiments';
import type { ExperimentStore } from '../../store/experiments';
import type { RequestContext } from '../context';
import { Reply } from '../context';
import { HttpError } from '../errors';
import type { Route } from '../router';

const PATH = '/api/v1/repos/:repo/prompts/:id/experiments/:label';

function experimentsOf(ctx: RequestContext, repo: string): ExperimentStore {
  ctx.store(repo); // 404 repo_not_found
  return ctx.forge.experiments.get(repo)!;
}

/** DELETE may come without a body. */
async function optionalBody(ctx: RequestContext): Promise<Record<string, unknown>> {
  const length = ctx.req.headers['content-length'];
  if (length === '0' || (length === undefined && ctx.req.headers['transfer-encoding'] === undefined)) return {};
  return ctx.body();
}

export const experimentRoutes: Route<RequestContext>[] = [
  {
    method: 'PUT',
    path: PATH,
    role: 'write',
    handle: async (ctx, { repo, id, label }) => {
      const experiments = experimentsOf(ctx, repo);
      const body = await ctx.body();
      const { expected: _e, reason: _r, ...definition } = body;
      const { experiment, tip, action } = await experiments.put(id, label, definition, ctx.actor, optionalField(body, 'expected'), optionalField(body, 'reason') ?? null);
      return new Reply(action === 'start' ? 201 : 200, { repo, action, tip, experiment });
    },
  },
  {
    method: 'GET',
    path: PATH,
    role: 'read',
    handle: async (ctx, { repo, id, label }) => {
      const experiments = experimentsOf(ctx, repo);
      const found = experiments.get(id, label);
      if (!found) throw new HttpError('experiment_not_found', `no experiment was ever run on "${id}/${label}"; start one with PUT ${ctx.req.url}`);
      const { experiment, tip } = found;
      // The control is the label's version now (it may have moved since the start).
      const labelNow = await ctx.store(repo).resolve(id, label).catch(() => null);
      const control = experiment.status === 'running' && labelNow ? labelNow.sha : experiment.control;
      const totals = ctx.forge.usage.experimentTotals ? await ctx.forge.usage.experimentTotals(experiment.key) : new Map();
      const results = experimentResults({ ...experiment, control }, totals);
      return { repo, tip, experiment: { ...experiment, control }, results, history: await experiments.history(id, label) };
    },
  },
  {
    method: 'DELETE',
    path: PATH,
    role: 'write',
    handle: async (ctx, { repo, id, label }) => {
      const experiments = experimentsOf(ctx, repo);
      const body = await optionalBody(ctx);
      const promote = optionalField(body, 'promote') ?? undefined;
      const { experiment, tip, promoted } = await experiments.stop(id, label, ctx.actor, {
        reason: optionalField(body, 'reason') ?? null,
        expected: optionalField(body, 'expected'),
        ...(promote !== undefined ? { promote } : {}),
      });
      return { repo, action: promoted ? 'conclude' : 'stop', tip, experiment, ...(promoted ? { promoted: { ...promoted, by: promoted.actor.name } } : {}) };
    },
  },
];

/** An optional string field of a JSON body; null is kept (it means "none" for `expected`). */
function optionalField(body: Record<string, unknown>, name: string): string | null | undefined {
  const value = body[name];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string') throw new HttpError('invalid_field', `"${name}" must be a string, not ${typeof value}`);
  return value;
}

/** Promotion requests for protected labels: create, list, approve, reject, apply. Each step is announced on the event stream. */
import { applyRequest, approveRequest, createRequest, listRequests, rejectRequest, type PromotionRequest } from '../../governance/requests';
import type { RequestContext } from '../context';
import { PromotionRequestBody, RequestStepBody } from '../../../core/wire';
import { Reply } from '../context';
import type { Route } from '../router';

const base = '/api/v1/repos/:repo/prompts/:id/labels/:label/requests';

function announce(ctx: RequestContext, verb: 'created' | 'approved' | 'rejected' | 'applied', r: PromotionRequest): PromotionRequest {
  ctx.forge.events.publish({ type: `request.${verb}`, repo: r.repo, id: r.id, label: r.label, rid: r.rid, sha: r.sha, by: ctx.caller.name });
  return r;
}

const approval = (ctx: RequestContext) => ({ by: ctx.caller.name, role: ctx.caller.role });

export const requestRoutes: Route<RequestContext>[] = [
  {
    method: 'GET',
    path: base,
    role: 'read',
    handle: async (ctx, { repo, id, label }) => ({ requests: await listRequests(ctx.store(repo), id, label) }),
  },
  {
    method: 'POST',
    path: base,
    role: 'write',
    handle: async (ctx, { repo, id, label }) => {
      const body = await ctx.bodyAs(PromotionRequestBody);
      const request = await createRequest(ctx.store(repo), id, label, body.version, body.note ?? undefined, approval(ctx));
      return new Reply(201, announce(ctx, 'created', request));
    },
  },
  {
    method: 'POST',
    path: `${base}/:rid/approve`,
    role: 'approve',
    handle: async (ctx, { repo, id, label, rid }) => {
      const body = await ctx.bodyAs(RequestStepBody);
      return announce(ctx, 'approved', await approveRequest(ctx.store(repo), id, label, rid, body.note ?? undefined, approval(ctx)));
    },
  },
  {
    method: 'POST',
    path: `${base}/:rid/reject`,
    role: 'approve',
    handle: async (ctx, { repo, id, label, rid }) => {
      const body = await ctx.bodyAs(RequestStepBody);
      return announce(ctx, 'rejected', await rejectRequest(ctx.store(repo), id, label, rid, body.note ?? undefined, approval(ctx)));
    },
  },
  {
    method: 'POST',
    path: `${base}/:rid/apply`,
    role: 'write',
    handle: async (ctx, { repo, id, label, rid }) => announce(ctx, 'applied', await applyRequest(ctx.store(repo), id, label, rid, approval(ctx))),
  },
];

/** Webhook deliveries and every attempt at them, newest first (admin). */
import type { RequestContext } from '../context';
import { HttpError } from '../errors';
import type { Route } from '../router';

export const webhookRoutes: Route<RequestContext>[] = [
  {
    method: 'GET',
    path: '/api/v1/webhooks/deliveries',
    role: 'admin',
    handle: (ctx) => {
      const raw = ctx.query('limit');
      const limit = raw === undefined ? 100 : Number(raw);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new HttpError('invalid_query', `limit must be a whole number from 1 to 1000, not "${raw}"`);
      return { deliveries: ctx.forge.webhooks.deliveries(limit) };
    },
  },
];

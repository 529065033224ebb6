/**
 * Replication over HTTP: the fetch hook a primary or a git host calls after a push, and
 * the rule that a replica answers writes to a followed repo with 421 `read_only_replica`
 * naming the primary (body and `X-Promptforge-Primary`), so clients can go there.
 */
import type { RequestContext } from '../http/context';
import { HttpError } from '../http/errors';
import type { Route } from '../http/router';
import type { Replication } from './replication';

export const PRIMARY_HEADER = 'x-promptforge-primary';

export const replicaRoutes: Route<RequestContext>[] = [
  {
    method: 'POST',
    path: '/api/v1/hooks/fetch',
    // Read is enough: a fetch only pulls from the remote the operator configured.
    role: 'read',
    handle: async (ctx) => {
      const body = await ctx.body().catch(() => ({}) as Record<string, unknown>);
      const repo = typeof body.repo === 'string' ? body.repo : undefined;
      const replication = ctx.forge.replication;
      if (!replication || replication.mirrors.size === 0) throw new HttpError('not_a_replica', 'this forge follows no remote: start it with --follow NAME=URL to use the fetch hook');
      if (repo !== undefined && !replication.mirrors.has(repo)) throw new HttpError('repo_not_found', `this forge follows no repo "${repo}"; it follows ${[...replication.mirrors.keys()].map((n) => `"${n}"`).join(', ')}`);
      try {
        return { fetched: await replication.fetch(repo) };
      } catch (error) {
        throw new HttpError('fetch_failed', `fetching from the remote failed: ${(error as Error).message}`);
      }
    },
  },
];

/** Throws 421 when a write names a repo this forge only mirrors. */
export function refuseReplicaWrite(replication: Replication | undefined, method: string, role: string, params: Record<string, string>): void {
  if (!replication || method === 'GET' || method === 'HEAD' || (role !== 'write' && role !== 'admin') || params.repo === undefined) return;
  const ro = replication.readOnly(params.repo);
  if (!ro) return;
  const where = ro.primary ? `send it to the primary at ${ro.primary}` : 'send it to the primary forge (this replica was not told its URL: start it with --primary URL)';
  throw new HttpError('read_only_replica', `repo "${params.repo}" is a read-only replica here; ${where}`, { primary: ro.primary }, ro.primary ? { [PRIMARY_HEADER]: ro.primary } : {});
}

/**
 * Usage: batches of events in (each checked on its own; bad ones are listed, good ones
 * kept), per-version metrics and chart series out, as JSON or CSV.
 */
import { parseWire, UsageBatchBody } from '../../../core/wire';
import type { PromptStore } from '../../store';
import { eventChunks, metricsCsv, seriesCsv } from '../../usage/export';
import { streamChunks } from '../stream';
import type { RequestContext } from '../context';
import { Reply } from '../context';
import { HttpError } from '../errors';
import type { Route } from '../router';

export const usageRoutes: Route<RequestContext>[] = [
  {
    method: 'POST',
    path: '/api/v1/usage',
    role: 'write',
    handle: async (ctx) => {
      const body = await ctx.json();
      const checked = parseWire(UsageBatchBody, body);
      // A field beside `events` is named; any other bad envelope keeps its one code.
      if (!checked.ok && checked.problem.code === 'unknown_field') throw new HttpError('unknown_field', checked.problem.message);
      if (!checked.ok) throw new HttpError('invalid_batch', Array.isArray(body) ? 'the body must be a JSON object {"events": [...]}, not an array: wrap the events as {"events": [ … ]}' : 'expected a JSON object {"events": [...]}');
      const stores = ctx.forge.stores;
      // The release and labels a version carries right now are recorded with each event.
      const result = await ctx.forge.usage.ingest(body, async (repo, id, sha) => {
        const store = stores.get(repo);
        const version = store && (await store.resolve(id, sha).catch(() => null));
        return version && version.sha === sha ? { release: version.release ?? null, labels: version.labels } : null;
      });
      // Experiments that got usage are checked against their guardrails (in the background).
      if (result.accepted > 0) ctx.forge.guardrails.noteUsage(experimentKeys(body));
      return result;
    },
  },
  {
    method: 'GET',
    path: '/api/v1/repos/:repo/prompts/:id/usage',
    role: 'read',
    handle: async (ctx, { repo, id }) => {
      const store = ctx.store(repo);
      const query = { since: since(ctx.query('since')), sha: await versionSha(store, id, ctx.query('version')) };
      const bucket = ctx.query('bucket');
      const csv = format(ctx.query('format')) === 'csv';
      if (bucket !== undefined) {
        if (bucket !== 'hour' && bucket !== 'day') throw new HttpError('invalid_query', `bucket must be "hour" or "day", not ${JSON.stringify(bucket)}`);
        const series = await ctx.forge.usage.series(repo, id, bucket, query);
        return csv ? new Reply(200, seriesCsv(series), { 'content-type': 'text/csv; charset=utf-8' }) : { repo, id, ...series };
      }
      const metrics = await ctx.forge.usage.metrics(repo, id, query);
      return csv ? new Reply(200, metricsCsv(metrics.versions), { 'content-type': 'text/csv; charset=utf-8' }) : { repo, id, ...metrics };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/repos/:repo/prompts/:id/usage/events',
    role: 'read',
    handle: async (ctx, { repo, id }) => {
      const store = ctx.store(repo);
      const query = { since: since(ctx.query('since')), sha: await versionSha(store, id, ctx.query('version')) };
      const as = format(ctx.query('format'));
      const res = ctx.res;
      res.writeHead(200, { 'content-type': as === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8' });
      const complete = await streamChunks(res, eventChunks(ctx.forge.usage.events(repo, id, query), as));
      if (!complete) ctx.forge.log(`${ctx.req.method} ${ctx.req.url}: the client left before the end; the export stopped`);
    },
  },
];

function experimentKeys(body: unknown): Set<string> {
  const keys = new Set<string>();
  const events = (body as { events?: unknown } | null)?.events;
  for (const e of Array.isArray(events) ? events : []) {
    const key = (e as { experiment?: unknown } | null)?.experiment;
    if (typeof key === 'string') keys.add(key);
  }
  return keys;
}

function since(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new HttpError('invalid_query', `since must be an ISO time such as 2026-01-31T00:00:00Z, not ${JSON.stringify(value)}`);
  return at;
}

function format(value: string | undefined): 'json' | 'csv' {
  if (value === undefined || value === 'json' || value === 'csv') return value ?? 'json';
  throw new HttpError('invalid_query', `format must be "json" or "csv", not ${JSON.stringify(value)}`);
}

async function versionSha(store: PromptStore, id: string, version: string | undefined): Promise<string | undefined> {
  if (version === undefined || version === '') {
    store.versions(id); // 404 for an unknown prompt
    return undefined;
  }
  return (await store.resolve(id, version)).sha;
}

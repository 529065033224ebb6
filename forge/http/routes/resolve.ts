/**
 * Resolve and render. Answered from the store's memory (index plus blob cache). A
 * resolve pinned to a full commit sha can never change, so it is cacheable forever;
 * every other form is revalidated with its ETag.
 *
 * Finished answers are kept per URI text: what a version renders to never changes, so
 * a kept answer is served after one cheap re-resolve shows the URI still names the same
 * version with the same labels and release — whoever moved what in between.
 */
import { createHash } from 'node:crypto';
import { assign, assignerOf, variationName, wireOf, type Experiment } from '../../../core/experiments';
import type { ParamSchema } from '../../../core/promptFile';
import { collectIncludesAsync } from '../../../core/includes';
import { RenderBody } from '../../../core/wire';
import type { PromptStore, RenderedPrompt, ResolvedPrompt } from '../../store';
import type { RequestContext } from '../context';
import { Reply } from '../context';
import { HttpError } from '../errors';
import { isStoreError } from '../../store';
import { parseForgeUri, pinnedUri, rangesInUri, type PromptUri } from '../promptUri';
import type { Route } from '../router';

import type { ResolveAnswer } from '../answers';

export { answerCache } from '../answers';

const refsOf = (r: ResolvedPrompt) => `${r.release ?? ''}|${r.labels.join(',')}`;

const FULL_SHA = /^[0-9a-f]{40}$/;

export const resolveRoutes: Route<RequestContext>[] = [
  {
    method: 'GET',
    path: '/api/v1/resolve',
    role: 'read',
    handle: async (ctx) => {
      const raw = ctx.query('uri');
      refuseStrayQuery(ctx, raw);
      const answers = ctx.forge.answers;
      let answer = raw === undefined ? undefined : answers.get(raw);
      if (answer) {
        const now = await ctx.store(answer.repo).resolve(answer.id, answer.version);
        if (now.sha !== answer.sha || now.kind !== answer.kind || refsOf(now) !== answer.refs) answer = undefined;
      }
      if (!answer) {
        const uri = parseForgeUri(raw);
        const store = ctx.store(uri.repo);
        const rendered = await store.render(uri.id, uri.version, uri.params, { fromStrings: true }).catch(inUri(raw!));
        const json = Buffer.from(JSON.stringify(await resolution(store, raw!, uri, rendered)));
        const { repo, id, version } = uri;
        answer = {
          repo,
          id,
          ...(version !== undefined ? { version } : {}),
          sha: rendered.sha,
          kind: rendered.kind,
          refs: refsOf(rendered),
          json,
          etag: `"${createHash('sha1').update(json).digest('base64url')}"`,
          pinned: version !== undefined && FULL_SHA.test(version),
        };
        answers.set(raw!, answer);
      }
      const experiment = answer.version !== undefined ? ctx.forge.experiments.get(answer.repo)?.running(answer.id, answer.version) : undefined;
      if (experiment) return withExperiment(ctx, raw!, answer, experiment);
      const headers = { etag: answer.etag, 'cache-control': answer.pinned ? 'public, max-age=31536000, immutable' : 'no-cache' };
      if (ctx.req.headers['if-none-match']?.split(/\s*,\s*/).includes(answer.etag)) return new Reply(304, undefined, headers);
      return new Reply(200, answer.json, headers);
    },
  },
  {
    method: 'POST',
    path: '/api/v1/render',
    role: 'read',
    handle: async (ctx) => {
      const body = await ctx.bodyAs(RenderBody);
      const uri = parseForgeUri(body.uri, 'body');
      const params = body.params ?? {};
      if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new HttpError('invalid_field', '"params" must be a JSON object of parameter values');
      const inBody = Object.keys(params).length > 0;
      if (inBody && Object.keys(uri.params).length > 0) throw new HttpError('invalid_field', 'give parameters either in the URI query or in "params", not both');
      const store = ctx.store(uri.repo);
      const rendered = inBody
        ? await store.render(uri.id, uri.version, params as Record<string, unknown>)
        : await store.render(uri.id, uri.version, uri.params, { fromStrings: true }).catch(inUri(body.uri as string));
      return resolution(store, body.uri as string, uri, rendered);
    },
  },
];

/**
 * `/resolve` takes only `uri`. Any other name is almost always the rest of the prompt's own
 * query, cut off at an `&` that was not encoded (`?uri=prompt://…?a=1&b=2` gives the forge
 * `b`): say so instead of rendering without it or answering `missing_param` with no clue.
 */
function refuseStrayQuery(ctx: RequestContext, raw: string | undefined): void {
  const stray = [...new Set(new URLSearchParams(ctx.search).keys())].filter((name) => name !== 'uri' && name !== 'unit');
  if (stray.length === 0) return;
  const names = stray.map((n) => `"${n}"`).join(', ');
  const example = raw?.includes('?') ? ` (uri=${raw.replace(/&/g, '%26')}%26${stray[0]}=…)` : '';
  throw new HttpError(
    'invalid_query',
    `/resolve takes only "uri" (and "unit" for experiments), but the query also has ${names}: if ${stray.length > 1 ? 'they are' : 'it is'} the prompt's params, encode each "&" inside the uri value as %26${example}, or URL-encode the whole value`,
    { query: stray },
  );
}

/** Param problems of a URI's own query, with ranges into that URI. */
function inUri(text: string) {
  return (error: unknown): never => {
    const details = isStoreError(error) ? (error.details as { problems?: unknown } | undefined) : undefined;
    const problems = details?.problems;
    if (Array.isArray(problems) && problems.every((p) => typeof p?.param === 'string')) details!.problems = rangesInUri(text, problems);
    throw error;
  };
}

/**
 * A label with a running experiment (DESIGN §7): the answer carries the definition, so
 * an SDK can assign on its own from then on. With `unit=U` the forge assigns too, and
 * a unit in a variant gets that variant's version rendered instead of the control.
 */
async function withExperiment(ctx: RequestContext, raw: string, control: ResolveAnswer, experiment: Experiment): Promise<Reply> {
  const unit = ctx.query('unit');
  let json = control.json;
  let assignment: { experiment: string; variant: string } | null = null;
  if (unit !== undefined) {
    const index = assign(assignerOf(experiment)!, unit);
    if (index >= 0) assignment = { experiment: experiment.key, variant: variationName(experiment, index) };
    if (index >= 1) {
      const uri = parseForgeUri(raw);
      const store = ctx.store(uri.repo);
      const sha = experiment.variants[index - 1].sha;
      const rendered = await store.render(uri.id, sha, uri.params, { fromStrings: true });
      json = Buffer.from(JSON.stringify(await resolution(store, raw, uri, rendered)));
    }
  }
  const extra = Buffer.from(`,"experiment":${JSON.stringify(wireOf(experiment))}${unit !== undefined ? `,"assignment":${JSON.stringify(assignment)}` : ''}}`);
  const body = Buffer.concat([json.subarray(0, json.lastIndexOf('}')), extra]);
  return new Reply(200, body, { 'cache-control': 'no-store' });
}

/** The DESIGN §4 answer, plus kind, type, status, description, commit and partials. */
export async function resolution(store: PromptStore, raw: string, uri: PromptUri, r: RenderedPrompt) {
  const file = r.file;
  return {
    uri: raw,
    canonical: pinnedUri(uri, r.sha),
    repo: r.repo,
    id: r.id,
    sha: r.sha,
    kind: r.kind,
    release: r.release ?? null,
    labels: r.labels,
    type: file.type === 'chat' ? 'chat' : 'text',
    status: file.status ?? 'active',
    ...(typeof file.description === 'string' ? { description: file.description } : {}),
    template: file.body ?? '',
    params: file.params ?? {},
    partials: await partials(store, r),
    values: r.values,
    text: r.text ?? null,
    messages: r.messages ?? null,
    path: r.path,
    commit: { author: r.commit.author, ...(r.commit.email ? { email: r.commit.email } : {}), date: r.commit.date, message: r.commit.message },
  };
}

/**
 * Every prompt the template includes, transitively, as of the same commit, with its
 * params: a client that caches the answer can then render it alone with any params.
 */
async function partials(store: PromptStore, r: RenderedPrompt): Promise<Record<string, { template: string; params: Record<string, ParamSchema> }>> {
  const found = await collectIncludesAsync(r.file.body ?? '', (id) => store.resolve(id, r.sha).catch(() => undefined), (p) => p.file.body ?? '', r.id);
  return Object.fromEntries([...found].map(([id, p]) => [id, { template: p.file.body ?? '', params: p.file.params ?? {} }]));
}

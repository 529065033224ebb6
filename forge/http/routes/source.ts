/**
 * The `.prompt` file at a version, byte for byte (DESIGN §4): what an editor opens to
 * change a prompt, so comments, tags, model and formatting survive an edit. The ETag is
 * the blob id, so an unchanged file is a 304 whichever version spec named it.
 */
import type { RequestContext } from '../context';
import { Reply } from '../context';
import type { Route } from '../router';

export const sourceRoutes: Route<RequestContext>[] = [
  {
    method: 'GET',
    path: '/api/v1/repos/:repo/prompts/:id/source',
    role: 'read',
    handle: async (ctx, { repo, id }) => {
      const resolved = await ctx.store(repo).resolve(id, ctx.query('version'));
      const etag = `"${resolved.blob}"`;
      const headers = {
        etag,
        'x-promptforge-sha': resolved.sha,
        'content-type': 'text/plain; charset=utf-8',
        // The same spec may name another blob later (a label moves): always revalidate.
        'cache-control': 'no-cache',
      };
      if (ctx.req.headers['if-none-match']?.split(/\s*,\s*/).includes(etag)) return new Reply(304, undefined, headers);
      return new Reply(200, Buffer.from(resolved.source, 'utf8'), headers);
    },
  },
];

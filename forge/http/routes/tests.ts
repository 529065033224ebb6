/** Running a prompt version's test suite on the forge, and reading the latest results per version. */
import { runVersionSuite, versionResults } from '../../testing/forgeRun';
import type { RequestContext } from '../context';
import { TestRunBody } from '../../../core/wire';
import { Reply } from '../context';
import type { Route } from '../router';

export const testRoutes: Route<RequestContext>[] = [
  {
    method: 'POST',
    path: '/api/v1/repos/:repo/prompts/:id/tests/run',
    role: 'write',
    handle: async (ctx, { repo, id }) => {
      const store = ctx.store(repo);
      const body = await ctx.bodyAs(TestRunBody);
      const run = await runVersionSuite(store, id, body.version ?? undefined, ctx.forge.llm, ctx.actor.name);
      ctx.forge.events.publish({ type: 'tests.completed', repo, id, sha: run.sha, passed: run.result.passed, failed: run.result.failed });
      return new Reply(201, run);
    },
  },
  {
    method: 'GET',
    path: '/api/v1/repos/:repo/prompts/:id/tests',
    role: 'read',
    handle: (ctx, { repo, id }) => versionResults(ctx.store(repo), id, ctx.query('version')),
  },
];

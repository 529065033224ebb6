/**
 * The forge's HTTP server: node:http, JSON in and out, one route table. Opens the
 * configured repos and the usage store, forwards every store change to the event
 * stream, and refuses to listen beyond loopback without API keys.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { KeyRing, SessionStore, sessionIdOf } from '../auth';
import { ConfigError, type ForgeConfig } from '../config';
import { PromptStore } from '../store';
import { ExperimentStore } from '../store/experiments';
import { GuardrailMonitor } from '../experiments/monitor';
import { Replication } from '../replica/replication';
import { refuseReplicaWrite, replicaRoutes } from '../replica/routes';
import { openUsage } from '../usage/open';
import { eventData, webhookType } from '../webhooks/events';
import { WebhookOutbox } from '../webhooks/outbox';
import { RequestContext, Reply, type Forge } from './context';
import { drain } from './body';
import { errorResponse, HttpError } from './errors';
import { EventHub } from './events';
import { HostPolicy } from './hosts';
import { Router, type Route } from './router';
import { catalogRoutes } from './routes/catalog';
import { consoleRoutes } from './routes/console';
import { experimentRoutes } from './routes/experiments';
import { answerCache, resolveRoutes } from './routes/resolve';
import { reviewRoutes } from './routes/review';
import { requestRoutes } from './routes/requests';
import { sourceRoutes } from './routes/source';
import { testRoutes } from './routes/tests';
import { usageRoutes } from './routes/usage';
import { webhookRoutes } from './routes/webhooks';
import { writeRoutes } from './routes/writes';

const eventRoute: Route<RequestContext> = {
  method: 'GET',
  path: '/api/v1/events',
  role: 'read',
  handle: (ctx) => ctx.forge.events.attach(ctx.req, ctx.res),
};

const routes: Route<RequestContext>[] = [...catalogRoutes, ...sourceRoutes, ...resolveRoutes, ...writeRoutes, ...usageRoutes, ...reviewRoutes, ...experimentRoutes, ...testRoutes, ...requestRoutes, ...webhookRoutes, ...replicaRoutes, ...consoleRoutes, eventRoute];

export interface RunningForge {
  url: string;
  port: number;
  close(): Promise<void>;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function createForgeServer(forge: Forge): Server {
  const router = new Router(routes);
  const server = createServer((req, res) => void answer(forge, router, req, res));
  server.keepAliveTimeout = 65_000;
  return server;
}

async function answer(forge: Forge, router: Router<RequestContext>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    forge.hosts.check(req);
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const { route, params } = router.match(req.method ?? 'GET', q < 0 ? target : target.slice(0, q));
    const caller = forge.keys.authorize(req.headers.authorization, route.role, sessionCaller(forge, req));
    refuseReplicaWrite(forge.replication, req.method ?? 'GET', route.role, params);
    const out = await route.handle(new RequestContext(forge, req, res, q < 0 ? '' : target.slice(q + 1), caller), params);
    if (!res.headersSent) send(req, res, out instanceof Reply ? out : new Reply(200, out));
  } catch (error) {
    const { status, body, headers, internal } = errorResponse(error);
    if (!req.complete) drain(req);
    if (internal) forge.log(`${req.method} ${req.url}: ${(error as Error)?.stack ?? String(error)}`);
    if (res.headersSent) res.destroy();
    else send(req, res, new Reply(status, body, headers));
  }
}

const WRITES = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

/**
 * The caller of the request's console session cookie. A cookie rides along with any
 * request the browser makes, so a write on it must show where it came from: its Origin,
 * already checked to be a page of this forge (hosts.ts).
 */
function sessionCaller(forge: Forge, req: IncomingMessage) {
  if (!forge.keys.enabled || req.headers.authorization !== undefined) return undefined;
  const caller = forge.sessions.get(sessionIdOf(req.headers.cookie));
  if (caller && WRITES.has(req.method ?? '') && req.headers.origin === undefined) {
    throw new HttpError('origin_not_allowed', 'a write signed in with a console session must come from a page of this forge (it sent no Origin header)');
  }
  return caller;
}

function send(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  const body = reply.body;
  const text = body === undefined ? '' : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const headers: Record<string, string | number> = { 'content-type': 'application/json; charset=utf-8', ...reply.headers };
  if (reply.status !== 304) headers['content-length'] = Buffer.byteLength(text);
  res.writeHead(reply.status, headers);
  res.end(req.method === 'HEAD' || reply.status === 304 ? undefined : text);
}

/** Opens everything the config names and listens; the caller prints the URL. */
export async function startForge(config: ForgeConfig, log: (line: string) => void = console.error): Promise<RunningForge> {
  if (!isLoopback(config.host) && config.keys.length === 0) {
    throw new ConfigError(
      `refusing to listen on ${config.host} without API keys: anyone who can reach it could change prompts. Add a key with \`promptforge keys add NAME --role admin\`, or listen on 127.0.0.1`,
    );
  }
  if (config.repos.size === 0) throw new ConfigError('no repos to serve: give --repo NAME=PATH, PROMPTFORGE_REPOS, or repos: in forge.yaml');
  const stores = new Map<string, PromptStore>();
  const experiments = new Map<string, ExperimentStore>();
  const replication = config.push.size || config.follow.size ? new Replication(config, log) : undefined;
  await replication?.prepare().catch((error: Error) => {
    throw new ConfigError(error.message);
  });
  const usage = await openUsage(config, log);
  // The webhook outbox lives beside the usage file, which a Postgres-backed forge never made.
  if (config.usageDb !== ':memory:') mkdirSync(dirname(config.usageDb), { recursive: true });
  const events = new EventHub();
  const webhooks = new WebhookOutbox(config.usageDb === ':memory:' ? ':memory:' : join(dirname(config.usageDb), 'webhooks.db'), config.webhooks, { log, ...(config.webhookRetryMs ? { baseDelayMs: config.webhookRetryMs } : {}) });
  events.subscribe((event) => webhooks.enqueue(webhookType(event), eventData(event)));
  const closeAll = async () => {
    events.close();
    await webhooks.close();
    await replication?.close();
    await Promise.all([...stores.values()].map((s) => s.close()));
    await usage.close();
  };
  try {
    for (const [name, path] of config.repos) {
      const store = await PromptStore.open(path, { name }).catch((error: Error) => {
        throw new ConfigError(`repo "${name}" (${path}): ${error.message}`);
      });
      stores.set(name, store);
      store.on('change', (event) => events.publish(event));
      const running = await ExperimentStore.open(store);
      experiments.set(name, running);
      running.on((event) => events.publish(event));
    }
    await replication?.start(stores);
  } catch (error) {
    await closeAll();
    throw error;
  }
  const guardrails = new GuardrailMonitor(experiments, usage, log);
  const forge: Forge = { stores, experiments, guardrails, keys: new KeyRing(config.keys), sessions: new SessionStore(), usage, replication, events, hosts: new HostPolicy(config.host, config.publicHosts), bodyLimit: config.bodyLimit, llm: config.llm, answers: answerCache(), webhooks, log };
  const server = createForgeServer(forge);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    await closeAll();
    const e = error as NodeJS.ErrnoException;
    throw new ConfigError(e.code === 'EADDRINUSE' ? `port ${config.port} on ${config.host} is already in use` : `cannot listen on ${config.host}:${config.port}: ${e.message}`);
  }
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: async () => {
      events.close();
      // Requests under way finish (a write in flight is acknowledged or not at all);
      // connections still open after a few seconds are cut.
      const cut = setTimeout(() => server.closeAllConnections(), 5000);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      clearTimeout(cut);
      await forge.guardrails.idle();
      await closeAll();
    },
  };
}

/**
 * A small HTTP server speaking the forge API's shapes, for unit tests of the client's
 * own logic (routing, errors, event stream reconnects). Acceptance tests use a real forge.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export type Answer = { status?: number; body?: unknown } | undefined;
/** Answers a request; a promise that never settles makes the stub hang like a stuck forge. */
export type Handler = (req: Recorded) => Answer | Promise<Answer>;

export class StubForge {
  readonly requests: Recorded[] = [];
  private readonly streams = new Set<ServerResponse>();
  private server: Server;
  handler: Handler = () => undefined;
  url = '';

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Sends one server-sent event to every connected stream. */
  emit(event: string, data: unknown, id?: string): void {
    const frame = `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of this.streams) res.write(frame);
  }

  get streamCount(): number {
    return this.streams.size;
  }

  /** Cuts every open event stream, as a crashing forge would. */
  dropStreams(): void {
    for (const res of this.streams) res.destroy();
    this.streams.clear();
  }

  async stop(): Promise<void> {
    this.dropStreams();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const recorded: Recorded = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: raw ? JSON.parse(raw) : undefined };
    this.requests.push(recorded);
    if (recorded.path === '/api/v1/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(': connected\n\n');
      this.streams.add(res);
      res.on('close', () => this.streams.delete(res));
      return;
    }
    const answer = (await this.handler(recorded)) ?? { status: 404, body: { error: { code: 'not_found', message: `no route ${recorded.method} ${recorded.path}` } } };
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  }
}

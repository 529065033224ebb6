/**
 * An HTTP proxy in front of a forge that records every request path, so a test can
 * prove a call was answered without touching the network. When the forge is gone it
 * answers 502, as a load balancer would.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class CountingProxy {
  readonly paths: string[] = [];
  private readonly server: Server;
  url = '';

  constructor(private readonly upstream: () => string) {
    this.server = createServer((req, res) => {
      this.paths.push(req.url ?? '/');
      const target = new URL(req.url ?? '/', this.upstream());
      const forward = request(target, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => {
        if (res.headersSent) res.destroy();
        else res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'bad_gateway', message: 'forge unreachable' } }));
      });
      res.on('close', () => forward.destroy());
      req.pipe(forward);
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Requests whose path starts with `prefix`. */
  count(prefix: string): number {
    return this.paths.filter((p) => p.startsWith(prefix)).length;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

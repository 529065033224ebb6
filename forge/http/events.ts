/**
 * `GET /api/v1/events`: the stores' change events (label moves, new versions, releases,
 * experiments started, changed and stopped)
 * as server-sent events. Ids are `BOOT-SEQ`; a client reconnecting with `Last-Event-ID`
 * from this same run gets what it missed from a bounded replay buffer, and a comment
 * line every few seconds keeps proxies from closing a quiet stream.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StoreEvent } from '../store';
import type { ExperimentEvent } from '../store/experiments';

/** What the stream carries: the stores' changes plus what the forge itself does (test runs). */
export type ForgeEvent =
  | StoreEvent
  | ExperimentEvent
  | { type: 'tests.completed'; repo: string; id: string; sha: string; passed: number; failed: number }
  | { type: `request.${'created' | 'approved' | 'rejected' | 'applied'}`; repo: string; id: string; label: string; rid: string; sha: string; by: string };

const REPLAY = 1000;

export class EventHub {
  private readonly boot = Date.now().toString(36);
  private seq = 0;
  private readonly recent: { seq: number; frame: string }[] = [];
  private readonly clients = new Set<ServerResponse>();
  private readonly sinks = new Set<(event: ForgeEvent) => void>();
  private readonly timer: NodeJS.Timeout;

  constructor(keepAliveMs = 15_000) {
    this.timer = setInterval(() => this.broadcast(': keep-alive\n\n'), keepAliveMs);
    this.timer.unref();
  }

  /** Also hands every event to `sink` (the webhook outbox). */
  subscribe(sink: (event: ForgeEvent) => void): void {
    this.sinks.add(sink);
  }

  get listeners(): number {
    return this.clients.size;
  }

  publish(event: ForgeEvent): void {
    const { type, ...data } = event;
    const seq = ++this.seq;
    const frame = `id: ${this.boot}-${seq}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
    this.recent.push({ seq, frame });
    if (this.recent.length > REPLAY) this.recent.shift();
    this.broadcast(frame);
    for (const sink of this.sinks) sink(event);
  }

  attach(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    res.write('retry: 2000\n: connected\n\n');
    for (const { frame } of this.missed(req.headers['last-event-id'])) res.write(frame);
    this.clients.add(res);
    const drop = () => this.clients.delete(res);
    req.on('close', drop);
    res.on('error', drop);
  }

  /** Ends every stream (on shutdown). */
  close(): void {
    clearInterval(this.timer);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private missed(header: string | string[] | undefined): { frame: string }[] {
    const last = Array.isArray(header) ? header[0] : header;
    const match = last ? /^([0-9a-z]+)-(\d+)$/.exec(last.trim()) : null;
    if (!match || match[1] !== this.boot) return [];
    const after = Number(match[2]);
    return this.recent.filter((e) => e.seq > after);
  }

  private broadcast(frame: string): void {
    for (const res of this.clients) res.write(frame);
  }
}

/**
 * Server-sent events: an incremental parser (per the WHATWG event-stream rules) and a
 * follower that reconnects with backoff and resumes with `Last-Event-ID`, so a short
 * outage loses no label move.
 */

export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

/** Feeds chunks of an event stream and yields complete messages. */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id: string | undefined;
  /** The last `id:` seen, kept across messages as the spec says. */
  lastEventId: string | undefined;
  /** The server's `retry:` advice in ms, if any. */
  retryMs: number | undefined;

  /** True when the last chunk ended in \r: a \n starting the next one belongs to it. */
  private pendingCR = false;

  push(chunk: string): SseMessage[] {
    if (chunk === '') return [];
    if (this.pendingCR && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.pendingCR = false;
    this.buffer += chunk;
    const out: SseMessage[] = [];
    let start = 0;
    const eol = /\r\n|\r|\n/g;
    for (let m = eol.exec(this.buffer); m; m = eol.exec(this.buffer)) {
      const message = this.line(this.buffer.slice(start, m.index));
      if (message) out.push(message);
      start = m.index + m[0].length;
    }
    this.pendingCR = this.buffer.endsWith('\r');
    this.buffer = this.buffer.slice(start);
    return out;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }

  private dispatch(): SseMessage | undefined {
    if (this.id !== undefined) this.lastEventId = this.id;
    const hasData = this.data.length > 0;
    const message: SseMessage = { event: this.event || 'message', data: this.data.join('\n'), id: this.lastEventId };
    this.event = '';
    this.data = [];
    this.id = undefined;
    return hasData ? message : undefined;
  }
}

export interface FollowOptions {
  signal?: AbortSignal;
  lastEventId?: string;
  /** First reconnect delay; doubles per failed attempt up to `maxBackoffMs`. */
  minBackoffMs?: number;
  /** The longest wait between attempts, also for a `retry:` the stream asked for. */
  maxBackoffMs?: number;
  /** Called each time the stream is (re)connected. */
  onOpen?: () => void;
  /** Called each time the stream breaks, before the next attempt. */
  onError?: (error: unknown) => void;
}

/** Opens the stream once; yields text chunks until it ends or fails. */
export type OpenStream = (lastEventId: string | undefined, signal: AbortSignal) => Promise<AsyncIterable<string>>;

/**
 * Follows a stream until `signal` aborts, reconnecting after every end or failure.
 * Resolves when aborted; never rejects.
 */
export async function followStream(open: OpenStream, onMessage: (m: SseMessage) => void, options: FollowOptions = {}): Promise<void> {
  const { signal } = options;
  const minBackoff = options.minBackoffMs ?? 250;
  const maxBackoff = options.maxBackoffMs ?? 10_000;
  let lastEventId = options.lastEventId;
  let backoff = minBackoff;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) stop.abort();
  try {
    while (!stop.signal.aborted) {
      const parser = new SseParser();
      try {
        const chunks = await open(lastEventId, stop.signal);
        options.onOpen?.();
        backoff = minBackoff;
        for await (const chunk of chunks) {
          for (const message of parser.push(chunk)) {
            lastEventId = message.id ?? lastEventId;
            onMessage(message);
          }
        }
        lastEventId = parser.lastEventId ?? lastEventId;
        if (!stop.signal.aborted) options.onError?.(new Error('event stream ended'));
      } catch (error) {
        lastEventId = parser.lastEventId ?? lastEventId;
        if (stop.signal.aborted) break;
        options.onError?.(error);
      }
      // The forge's `retry:` hint, but never past the caller's ceiling.
      const wait = Math.min(parser.retryMs ?? backoff, maxBackoff);
      backoff = Math.min(maxBackoff, backoff * 2);
      // Jitter keeps many clients from reconnecting in lockstep after a forge restart.
      await delay(wait * (0.75 + Math.random() * 0.5), stop.signal);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

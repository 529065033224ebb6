/**
 * Server-sent events: the follower that reconnects with backoff and resumes with
 * `Last-Event-ID`, so a short outage loses no label move. The WHATWG parsing itself
 * is `eventsource-parser`'s.
 */
import { createParser, type EventSourceParser } from 'eventsource-parser';

export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

/** Feeds chunks of an event stream and returns complete messages. */
export class SseParser {
  /** The last `id:` seen, kept across messages as the spec says. */
  lastEventId: string | undefined;
  /** The server's `retry:` advice in ms, if any. */
  retryMs: number | undefined;
  private out: SseMessage[] = [];
  private readonly parser: EventSourceParser = createParser({
    onEvent: ({ event, data, id }) => {
      if (id !== undefined) this.lastEventId = id;
      this.out.push({ event: event ?? 'message', data, id: this.lastEventId });
    },
    onRetry: (ms) => (this.retryMs = ms),
  });

  private readonly decoder = new TextDecoder();

  /** Takes text, or bytes (UTF-8, a character may be split across chunks). */
  push(chunk: string | Uint8Array): SseMessage[] {
    this.parser.feed(typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }));
    const done = this.out;
    this.out = [];
    return done;
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

/** Opens the stream once; yields chunks (text or UTF-8 bytes) until it ends or fails. */
export type OpenStream = (lastEventId: string | undefined, signal: AbortSignal) => Promise<AsyncIterable<string | Uint8Array>>;

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

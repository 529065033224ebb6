/** Reads `GET /api/v1/events` in tests and waits for a matching event (with a deadline). */
import { request, type ClientRequest, type IncomingMessage } from 'node:http';

export interface SseEvent {
  id?: string;
  event: string;
  data: Record<string, unknown>;
}

export interface EventReader {
  response: IncomingMessage;
  /** Raw text received so far (comments included). */
  raw(): string;
  next(match: (e: SseEvent) => boolean, deadlineMs?: number): Promise<SseEvent>;
  close(): void;
}

export function openEvents(base: string, headers: Record<string, string> = {}): Promise<EventReader> {
  return new Promise((resolve, reject) => {
    const req: ClientRequest = request(`${base}/api/v1/events`, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      const seen: SseEvent[] = [];
      const waiters = new Set<() => void>();
      let buffer = '';
      let raw = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        raw += chunk;
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            const colon = line.indexOf(':');
            if (colon <= 0) continue; // comments and blank lines
            fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
          }
          if (fields.event && fields.data) seen.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
        }
        for (const wake of waiters) wake();
      });
      resolve({
        response,
        raw: () => raw,
        next: (match, deadlineMs = 5000) =>
          new Promise((res, rej) => {
            const check = () => {
              const index = seen.findIndex(match);
              if (index < 0) return false;
              const [event] = seen.splice(index, 1);
              clearTimeout(timer);
              waiters.delete(wake);
              res(event);
              return true;
            };
            const wake = () => void check();
            const timer = setTimeout(() => {
              waiters.delete(wake);
              rej(new Error(`no matching event within ${deadlineMs} ms; received: ${raw}`));
            }, deadlineMs);
            if (!check()) waiters.add(wake);
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

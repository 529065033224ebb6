/**
 * Request bodies: JSON only, bounded. A body over the limit is refused with 413 as soon
 * as its declared length (or the bytes read so far) exceeds it. The rest is read and
 * dropped, never kept, so the client sees the answer instead of a reset connection; a
 * sender that goes on past DRAIN_LIMIT is cut off.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors';

export function tooLarge(limit: number): HttpError {
  return new HttpError('payload_too_large', `the request body is larger than the limit of ${limit} bytes`);
}

const DRAIN_LIMIT = 64 * 1024 * 1024;

/** Discards what is left of a refused body. */
export function drain(req: IncomingMessage): void {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DRAIN_LIMIT) req.socket.destroy();
  });
  req.resume();
}

export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError('unsupported_media_type', `send the body as application/json (got ${type ? JSON.stringify(type) : 'no content-type'})`);
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new HttpError('invalid_json', 'the request body is empty; send a JSON object');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError('invalid_json', `the request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** The body as a JSON object, or 400 naming what was sent instead. */
export async function readObject(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const body = await readJson(req, limit);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError('invalid_json', `the request body must be a JSON object, not ${Array.isArray(body) ? 'an array' : typeof body === 'object' ? 'null' : typeof body}`);
  }
  return body as Record<string, unknown>;
}

/**
 * Finished resolve answers kept per URI text (see routes/resolve.ts). Declared apart
 * from the route so the request context can hold the cache without importing the route.
 */
import { LruCache } from '../../core/lru';

export interface ResolveAnswer {
  repo: string;
  id: string;
  version?: string;
  sha: string;
  kind: string;
  refs: string;
  json: Buffer;
  etag: string;
  pinned: boolean;
}

export function answerCache(): LruCache<string, ResolveAnswer> {
  return new LruCache(5000, 32 * 1024 * 1024, (key, answer) => key.length + answer.json.length);
}

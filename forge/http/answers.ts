/**
 * Finished resolve answers kept per URI text (see routes/resolve.ts). Declared apart
 * from the route so the request context can hold the cache without importing the route.
 */
import { LRUCache } from 'lru-cache';

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

export function answerCache(): LRUCache<string, ResolveAnswer> {
  return new LRUCache({ max: 5000, maxSize: 32 * 1024 * 1024, sizeCalculation: (answer, key) => key.length + answer.json.length });
}

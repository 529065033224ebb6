/**
 * Streams a long answer (an export) chunk by chunk, waiting for the socket to drain so
 * it never sits whole in memory, and stopping when the client goes away mid-way.
 */
import type { ServerResponse } from 'node:http';

/** Writes every chunk and ends the answer; false when the client left before the end. */
export async function streamChunks(res: ServerResponse, chunks: Iterable<string>): Promise<boolean> {
  for (const chunk of chunks) {
    if (res.destroyed) return false;
    if (!res.write(chunk)) await drainedOrClosed(res);
  }
  if (res.destroyed) return false;
  res.end();
  return true;
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Streams a long answer (an export) chunk by chunk, waiting for the socket to drain so
 * it never sits whole in memory, and stopping when the client goes away mid-way.
 */
import type { ServerResponse } from 'node:http';

/** Writes every chunk and ends the answer; false when the client left before the end. */
export async function streamChunks(res: ServerResponse, chunks: Iterable<string> | AsyncIterable<string>): Promise<boolean> {
  for await (const chunk of chunks) {
    if (res.destroyed) return false;
    if (!res.write(chunk) && !(await drained(res))) {
      res.destroy(); // after an error, the socket may still be open
      return false;
    }
  }
  if (res.destroyed) return false;
  res.end();
  return true;
}

/** True on 'drain'; false when the answer closes or fails first, after which no 'drain' comes. */
function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const settle = (ok: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onEnd);
      res.off('error', onEnd);
      resolve(ok);
    };
    const onDrain = settle(true);
    const onEnd = settle(false);
    res.on('drain', onDrain);
    res.on('close', onEnd);
    res.on('error', onEnd);
  });
}

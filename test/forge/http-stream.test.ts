import assert from 'node:assert/strict';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { streamChunks } from '../../forge/http/stream';

/** 64 KiB chunks, `count` of them, noting whether the consumer let go of the rest. */
function chunks(count: number) {
  const state = { made: 0, closed: false };
  function* generate() {
    try {
      for (; state.made < count; state.made++) yield 'x'.repeat(65_536);
    } finally {
      state.closed = true;
    }
  }
  return { state, iterable: generate() };
}

describe('streaming a long answer (usage export)', () => {
  let server: Server;
  let finished: Promise<boolean>;
  let url: string;
  const serve = async (iterable: Iterable<string>) => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      finished = streamChunks(res, iterable);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  };
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends every chunk to a client that reads to the end', async () => {
    const { iterable } = chunks(40);
    await serve(iterable);
    const length = await new Promise<number>((resolve) => get(url, (res) => {
      let n = 0;
      res.on('data', (d: Buffer) => (n += d.length));
      res.on('end', () => resolve(n));
    }));
    assert.equal(length, 40 * 65_536);
    assert.equal(await finished, true);
  });

  it('stops, and lets go of the rest, when the client leaves while the socket is full', async () => {
    // 640 MiB: far more than any socket buffer, so the server is waiting to drain when the client leaves.
    const { state, iterable } = chunks(10_000);
    await serve(iterable);
    await new Promise<void>((resolve) => {
      // Each 64 KiB write overflows the response's buffer, so the server is waiting for
      // 'drain' when the first chunk arrives; then the client leaves.
      const req = get(url, (res) => res.once('data', () => {
        req.destroy();
        resolve();
      }));
      req.on('error', () => {});
    });
    assert.equal(await finished, false);
    assert.ok(state.closed, 'the source of chunks was closed');
    assert.ok(state.made < 10_000, `only ${state.made} chunks were made`);
  });
});

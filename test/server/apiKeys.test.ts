import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as protocol from '../../server/src/protocol';
import { TestClient } from './support/client';

/** A forge that answers only requests carrying its key, with one repo and no prompts. */
function keyedForge(key: string): Promise<{ server: Server; url: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers.authorization ?? '');
    if (req.headers.authorization !== `Bearer ${key}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'unauthorized', message: 'an API key is required' } }));
    } else if (req.url === '/api/v1/repos') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ name: 'demo', prompts: 0 }]));
    } else if (req.url === '/api/v1/repos/demo/prompts') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    } else if (req.url === '/api/v1/repos/demo/versions') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"versions":{}}');
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen })));
}

describe('server: API keys', () => {
  it('come from the client through setApiKeys, never from settings, and reach the forge', async () => {
    const forge = await keyedForge('s3cret');
    const client = await TestClient.start({ settings: { hosts: { keyed: { url: forge.url } } } });
    try {
      const before = await client.request(protocol.HostStatusRequest, undefined);
      assert.equal(before.hosts[0].state, 'error');
      assert.match(before.hosts[0].message!, /API key/);
      const ready = client.nextNotification(protocol.IndexReadyNotification);
      await client.connection.sendNotification(protocol.SetApiKeysNotification.method, { keys: { keyed: 's3cret' } });
      await ready;
      const after = await client.request(protocol.HostStatusRequest, undefined);
      assert.deepEqual([after.hosts[0].state, after.hosts[0].repos], ['connected', 1]);
      assert.ok(forge.seen.includes('Bearer s3cret'));
    } finally {
      await client.stop();
      forge.server.closeAllConnections();
      forge.server.close();
    }
  });

  it('other editors give one key to every remote host through PROMPTFORGE_API_KEY', async () => {
    const forge = await keyedForge('env-key');
    const client = await TestClient.start({ settings: { hosts: { keyed: { url: forge.url } } }, server: { environmentApiKey: 'env-key' } });
    try {
      const status = await client.request(protocol.HostStatusRequest, undefined);
      assert.equal(status.hosts[0].state, 'connected');
    } finally {
      await client.stop();
      forge.server.closeAllConnections();
      forge.server.close();
    }
  });
});

import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { ForgeClient } from '../../sdk';
import * as protocol from '../../server/src/protocol';
import { startForge, type ForgeProcess } from '../forge/apiServer';
import { fixtureRepo } from './support/fixtureRepo';
import { TestClient } from './support/client';
import type { TestRepo } from '../fixtures/git/makeRepo';

describe('server: a remote host (a real forge process)', () => {
  let repo: TestRepo;
  let forge: ForgeProcess;
  let client: TestClient;
  before(async () => {
    repo = fixtureRepo();
    forge = await startForge(['--repo', `demo=${repo.dir}`]);
    client = await TestClient.start({ settings: { hosts: { 'forge:7070': { url: forge.url } } } });
  });
  after(async () => {
    await client.stop();
    await forge.stop();
    repo.cleanup();
  });

  it('indexes the forge: tree, versions, labels', async () => {
    const { hosts } = await client.request(protocol.TreeRequest, {});
    assert.equal(hosts[0].state, 'connected');
    const welcome = hosts[0].repos[0].prompts.find((p) => p.id === 'welcome')!;
    assert.deepEqual(welcome.labels.map((l) => [l.name, l.sha]), [['production', repo.shas[1]], ['staging', repo.shas[3]]]);
    assert.equal(welcome.history.length, 3);
  });

  it('checks references against it and completes from it', async () => {
    const uri = await client.open('"prompt://forge:7070/demo/welcom/production"');
    const [d] = await client.diagnosticsOf(uri);
    assert.equal(d.code, protocol.DiagnosticCode.UnknownPrompt);
    const items = await client.completion('"prompt://forge:7070/demo/welcome/|"');
    assert.ok(items.some((i) => i.label === 'production'));
  });

  it('hovers without waiting on the network: the render appears once fetched', async () => {
    const rendered = client.nextNotification(protocol.HoverReadyNotification, (p) => p.id === 'welcome' && p.what === 'render' && p.sha === repo.shas[1]);
    const { uri, position } = await client.openAt('"prompt://forge:7070/demo/wel|come/1.1.0?app_name=Acme"');
    const first = await client.hoverAt(uri, position);
    assert.match(first!, /`1\.1\.0` → \*\*1\.1\.0\*\*/);
    await rendered;
    assert.match((await client.hoverAt(uri, position))!, /Welcome to Acme! You are on the free plan\./);
  });

  it('shows how often the hovered version was called and how often it succeeded', async () => {
    // a prompt no earlier test hovered, so nothing about it is cached yet
    const sha = repo.git('rev-parse', 'refs/labels/summary/production');
    const forgeClient = new ForgeClient({ url: forge.url });
    await forgeClient.recordUsage([true, true, false].map((success) => ({ repo: 'demo', id: 'summary', sha, success })));
    await forgeClient.close();
    const fetched = client.nextNotification(protocol.HoverReadyNotification, (p) => p.id === 'summary' && p.what === 'usage');
    const { uri, position } = await client.openAt('"prompt://forge:7070/demo/sum|mary/production"');
    await fetched;
    assert.match((await client.hoverAt(uri, position))!, /Usage: 3 calls · 67% success/);
  });

  it('follows the forge event stream: a promotion made elsewhere reaches the tree', async () => {
    const changed = client.nextNotification(protocol.TreeChangedNotification);
    const other = new ForgeClient({ url: forge.url });
    await other.promote('demo', 'summary', 'staging', { version: repo.shas[2], expected: null });
    await other.close();
    await changed;
    const { hosts } = await client.request(protocol.TreeRequest, {});
    const summary = hosts[0].repos[0].prompts.find((p) => p.id === 'summary')!;
    assert.deepEqual(summary.labels.map((l) => l.name), ['production', 'staging']);
  });

  it('diffs and serves versioned documents through the forge', async () => {
    const diff = await client.request(protocol.DiffRequest, { host: 'forge:7070', repo: 'demo', id: 'welcome', from: '1.0.0', to: '1.1.0' });
    assert.match(diff.patch, /\+Welcome to/);
    const content = await client.request(protocol.DocumentContentRequest, { uri: diff.left });
    assert.match(content.text, /Hello \{\{app_name\}\}/);
  });

  it('keeps answering from memory while the forge is down, marked stale, and catches up when it is back', async () => {
    // The link goes down and comes back on the same port, as a restarted forge would; a
    // TCP relay in front of the running forge stands in for the restart, and short
    // reconnect delays keep the test waiting on the host's state, not on a backoff.
    const link = await relay(new URL(forge.url).port);
    const watcher = await TestClient.start({ settings: { hosts: { own: { url: link.url } } }, server: { reconnectDelayMs: { firstMs: 20, maxMs: 100 } } });
    try {
      const uri = await watcher.open('"prompt://own/demo/welcome/production?app_name=x"');
      assert.deepEqual(await watcher.diagnosticsOf(uri), []);
      const stale = watcher.nextNotification(protocol.HostStateNotification, (p) => p.state === 'stale');
      await link.down();
      await stale;
      const diagnostics = await watcher.diagnosticsOf(uri, (d) => d.length > 0);
      assert.deepEqual(diagnostics.map((d) => d.code), [protocol.DiagnosticCode.HostUnreachable]);
      const items = await watcher.completion('"prompt://own/demo/|"');
      assert.ok(items.some((i) => i.label === 'welcome'), 'completion still answers from memory');
      const back = watcher.nextNotification(protocol.HostStateNotification, (p) => p.state === 'connected');
      await link.up();
      await back;
      assert.deepEqual(await watcher.diagnosticsOf(uri, (d) => d.length === 0), []);
    } finally {
      await watcher.stop();
      await link.down();
    }
  });
});

/** A TCP relay to a local port that can be cut (every connection dropped, port closed) and restored on the same port. */
async function relay(targetPort: string): Promise<{ url: string; down(): Promise<void>; up(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const port = await freePort();
  const up = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((socket) => {
        const upstream = connect(Number(targetPort), '127.0.0.1');
        for (const s of [socket, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => {});
        }
        socket.pipe(upstream).pipe(socket);
      });
      server.on('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server?.listening) return resolve();
      server.close(() => resolve());
    });
  await up();
  return { url: `http://127.0.0.1:${port}`, down, up };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

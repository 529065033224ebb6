/**
 * Webhooks from a real forge: Standard Webhooks signatures checked by the
 * `standardwebhooks` package, retries that keep the message id, event filters, and an
 * outbox that survives SIGKILL.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { newSecret } from '../../forge/webhooks/sign';
import { makeDemo, runCli, startForge, tempDir, type ForgeProcess } from './apiServer';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver that answers with the statuses it is given (then 200), and lets a test wait for deliveries. */
class Receiver {
  readonly received: Received[] = [];
  private waiters: { match: (r: Received[]) => boolean; resolve: () => void }[] = [];
  statuses: number[] = [];
  private constructor(readonly server: Server) {}

  static async start(port = 0): Promise<Receiver> {
    const server = createServer();
    const receiver = new Receiver(server);
    server.on('request', (req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        receiver.received.push({ headers: req.headers, body });
        res.writeHead(receiver.statuses.shift() ?? 200).end();
        receiver.waiters = receiver.waiters.filter((w) => (w.match(receiver.received) ? (w.resolve(), false) : true));
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  until(match: (r: Received[]) => boolean): Promise<void> {
    return match(this.received) ? Promise.resolve() : new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const typeOf = (r: Received) => (JSON.parse(r.body) as { type: string }).type;

describe('webhooks', function () {
  this.timeout(60_000);
  const tmp = tempDir('pf-hooks-');
  const secret = newSecret();
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
  const forgeWith = async (url: string, events: string[]) => {
    const config = join(tmp.dir, `forge-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(config, `repos:\n  demo: ${repo}\nusage:\n  db: ${join(tmp.dir, 'usage.db')}\nwebhooks:\n  - url: ${url}\n    secretEnv: HOOK_SECRET\n    events: [${events.join(', ')}]\n`);
    return startForge(['--config', config], { env: { HOOK_SECRET: secret, PROMPTFORGE_WEBHOOK_RETRY_MS: '20' } });
  };
  const promote = (forge: ForgeProcess, label: string, version: string) =>
    fetch(`${forge.url}/api/v1/repos/demo/prompts/welcome/labels/${label}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ version }) });

  before(() => {
    repo = makeDemo(tmp.dir);
  });
  after(() => tmp.cleanup());

  it('signs each delivery as Standard Webhooks, sends only the events asked for, and retries a 5xx with the same id', async () => {
    const receiver = await Receiver.start();
    receiver.statuses = [503];
    const forge = await forgeWith(receiver.url, ['label.moved']);
    try {
      const res = await promote(forge, 'canary', '1.0.0');
      assert.equal(res.status, 200);
      await receiver.until((r) => r.length >= 2);
      const [first, retry] = receiver.received;
      assert.equal(first.headers['webhook-id'], retry.headers['webhook-id'], 'a retry keeps its id');
      const payload = new Webhook(secret).verify(retry.body, retry.headers as Record<string, string>) as { type: string; data: { label: string; to: string } };
      assert.equal(payload.type, 'label.moved');
      assert.equal(payload.data.label, 'canary');
      assert.equal(payload.data.to, git('rev-parse', 'welcome@1.0.0^{commit}'));
      assert.throws(() => new Webhook(newSecret()).verify(retry.body, retry.headers as Record<string, string>), 'another secret does not verify');
      assert.ok(receiver.received.every((r) => typeOf(r) === 'label.moved'));

      const listed = (await (await fetch(`${forge.url}/api/v1/webhooks/deliveries`)).json()) as any;
      const delivery = listed.deliveries.find((d: { id: string }) => d.id === first.headers['webhook-id']);
      assert.equal(delivery.status, 'delivered');
      assert.deepEqual(delivery.attempts.map((a: { status: number }) => a.status), [503, 200]);
      const cli = runCli(['webhooks', 'list', '--url', forge.url]);
      assert.equal(cli.code, 0, cli.stderr);
      assert.match(cli.stdout, new RegExp(`delivered\\s+label\\.moved\\s+${receiver.url.replace(/[./]/g, '\\$&')}\\s+${delivery.id}\n\\s+\\S+\\s+503\\s+\\d+ ms\\s+answered 503\n\\s+\\S+\\s+200 `));
    } finally {
      await forge.stop();
      await receiver.close();
    }
  });

  it('loses nothing when the forge is killed with deliveries pending: after a restart every event arrives, each under the id it was queued with', async () => {
    // A port nobody listens on yet: deliveries fail and wait in the outbox.
    const placeholder = await Receiver.start();
    const port = (placeholder.server.address() as AddressInfo).port;
    await placeholder.close();
    const url = `http://127.0.0.1:${port}/hook`;
    let forge = await forgeWith(url, ['label.moved']);
    const labels = ['k1', 'k2', 'k3'];
    for (const label of labels) assert.equal((await promote(forge, label, '1.0.0')).status, 200);
    const pending = ((await (await fetch(`${forge.url}/api/v1/webhooks/deliveries`)).json()) as any).deliveries.filter((d: { status: string; type: string }) => d.status === 'pending');
    assert.ok(pending.length >= 3, 'queued while the receiver is down');
    forge.proc.kill('SIGKILL');
    await forge.stop();

    const receiver = await Receiver.start(port);
    forge = await forgeWith(url, ['label.moved']);
    try {
      await receiver.until((r) => labels.every((l) => r.some((x) => (JSON.parse(x.body) as { data: { label: string } }).data.label === l)));
      const ids = receiver.received.map((r) => r.headers['webhook-id']);
      for (const d of pending) assert.ok(ids.includes(d.id), `message ${d.id} was delivered after the restart`);
    } finally {
      await forge.stop();
      await receiver.close();
    }
  });
});

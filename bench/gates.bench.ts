/**
 * Quality gates: how many prompt tests per second run against a local OpenAI-compatible
 * stub at concurrency 8 (against a floor of the same number of bare HTTP round trips to
 * the stub), and how long a webhook takes from the event to the receiver (p50, p99).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTestSuite } from '../core/testSuite/parse';
import { runSuite } from '../core/testSuite/run';
import { testModel } from '../forge/testing/model';
import { WebhookOutbox } from '../forge/webhooks/outbox';
import { LlmStub } from '../test/fixtures/llm-stub';

const TESTS = 400;

async function testsPerSecond(): Promise<void> {
  const stub = await LlmStub.start({ reply: () => 'Hello Ann, welcome aboard!' });
  const suite = parseTestSuite(`tests:\n${Array.from({ length: TESTS }, (_, i) => `  - vars: { n: ${i} }\n    assert:\n      - { type: icontains, value: hello }\n      - { type: not-contains, value: sorry }\n      - { type: regex, value: "^Hello" }`).join('\n')}\n`).suite;
  const model = testModel({ url: stub.url, model: 'stub' });
  const run = () =>
    runSuite(suite, { render: (vars) => ({ text: `Greet user ${String(vars.n)}` }), complete: (p, s) => model.complete(p, s), concurrency: 8 });
  await run(); // warm-up
  const rates: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const result = await run();
    if (result.passed !== TESTS) throw new Error(`expected every test to pass, ${result.failed} failed`);
    rates.push(TESTS / ((performance.now() - started) / 1000));
  }
  // Floor: the same number of chat requests, 8 at a time, without the runner.
  const floors: number[] = [];
  const body = JSON.stringify({ model: 'stub', messages: [{ role: 'user', content: 'Greet user 1' }] });
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next++ < TESTS) await (await fetch(`${stub.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json();
      }),
    );
    floors.push(TESTS / ((performance.now() - started) / 1000));
  }
  await stub.close();
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rate = median(rates);
  const floor = median(floors);
  console.log(`tests per second, concurrency 8:      ${rate.toFixed(0)}  (floor: bare requests ${floor.toFixed(0)}/s; ratio ${(rate / floor).toFixed(2)}x)`);
}

async function webhookLatency(): Promise<void> {
  const arrivals = new Map<string, number>();
  let waiting: (() => void) | undefined;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrivals.set(String(req.headers['webhook-id']), performance.now());
      res.writeHead(204).end();
      waiting?.();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = mkdtempSync(join(tmpdir(), 'pf-bench-hooks-'));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const outbox = new WebhookOutbox(join(dir, 'webhooks.db'), [{ url, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', events: [] }]);
  const latencies: number[] = [];
  for (let i = 0; i < 300; i++) {
    const before = arrivals.size;
    const arrived = new Promise<void>((resolve) => (waiting = () => arrivals.size > before && resolve()));
    const sent = performance.now();
    outbox.enqueue('label.moved', { label: `l${i}` });
    await arrived;
    latencies.push(performance.now() - sent);
  }
  await outbox.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.floor(q * (latencies.length - 1))].toFixed(2);
  console.log(`webhook event → receiver, ms:          p50 ${p(0.5)}  p99 ${p(0.99)}  (300 events, one at a time)`);
}

testsPerSecond()
  .then(webhookLatency)
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });

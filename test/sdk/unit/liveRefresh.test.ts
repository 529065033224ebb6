import assert from 'node:assert/strict';
import { createPromptClient, type PromptClient } from '../../../sdk';
import { StubForge } from '../helpers/stubForge';
import { waitFor } from '../helpers/waitFor';

/** A resolve answer for version `n` of `welcome`. */
const answer = (n: number): { body: Record<string, unknown> } => ({
  body: {
    uri: 'prompt://h/demo/welcome/production',
    canonical: `prompt://h/demo/welcome/${String(n).repeat(40)}`,
    repo: 'demo',
    id: 'welcome',
    sha: String(n).repeat(40),
    kind: 'label',
    release: null,
    labels: ['production'],
    type: 'text',
    template: `v${n} {{name}}`,
    params: { name: { type: 'string', required: true } },
    partials: {},
    values: { name: 'A' },
    text: `v${n} A`,
    messages: null,
  },
});

describe('sdk live refresh racing a fetch (stub forge)', () => {
  let stub: StubForge;
  let client: PromptClient;
  afterEach(async () => {
    await client?.close();
    await stub?.stop();
  });

  it('fetches again when the prompt changes while a fetch that may predate it is in flight', async () => {
    stub = await new StubForge().start();
    let version = 1;
    let release: (() => void) | undefined;
    let otherAsked = 0;
    stub.handler = async (req) => {
      if (!req.path.startsWith('/api/v1/resolve')) return { body: {} };
      if (req.path.includes('other')) {
        // A marker prompt: its first answer comes at once, its refresh never does.
        if (otherAsked++ > 0) await new Promise(() => {});
        return { body: { ...answer(9).body, id: 'other', uri: 'prompt://h/demo/other/production' } };
      }
      const served = version;
      if (release === undefined && served === 2) await new Promise<void>((r) => (release = r));
      return answer(served);
    };
    client = createPromptClient({ hosts: { h: { url: stub.url } }, defaults: { host: 'h', repo: 'demo' }, cache: { ttlMs: 3_600_000 } });
    assert.equal((await client.get('welcome:production', { name: 'A' })).text, 'v1 A');
    assert.equal((await client.get('other:production', { name: 'A' })).source, 'forge');
    await waitFor('event stream open', () => stub.streamCount === 1);

    // A change starts a refresh; the forge is slow to answer it with version 2…
    version = 2;
    stub.emit('label', { repo: 'demo', id: 'welcome', label: 'production' }, '1');
    await waitFor('the refresh to be asked', () => release !== undefined);
    // …and moves to version 3 before that answer leaves.
    version = 3;
    stub.emit('label', { repo: 'demo', id: 'welcome', label: 'production' }, '2');
    // Events are handled in order: once the marker's is, the second one was too.
    stub.emit('label', { repo: 'demo', id: 'other', label: 'production' }, '3');
    await waitFor('the events to be handled', async () => (await client.get('other:production', { name: 'A' })).source === 'stale');
    release!();
    await waitFor('version 3', async () => (await client.get('welcome:production', { name: 'A' })).text === 'v3 A');
  });
});

import assert from 'node:assert/strict';
import * as protocol from '../../server/src/protocol';
import { fixtureRepo } from './support/fixtureRepo';
import { TestClient } from './support/client';
import type { TestRepo } from '../fixtures/git/makeRepo';

describe('server: plain LSP clients get plain LSP', () => {
  let repo: TestRepo;
  before(() => {
    repo = fixtureRepo();
  });
  after(() => repo.cleanup());

  const text = '"prompt://local/demo/welcom/production" "prompt://local/demo/we|lcome/1.1.0?app_name=Acme"';

  it('sends a client that declares nothing no promptforge/ notifications and no command: links', async () => {
    const client = await TestClient.start({ settings: { hosts: { local: { path: repo.dir } } }, plain: true });
    try {
      const { uri, position } = await client.openAt(text);
      // the index is ready once the typo is flagged (only a loaded index knows `welcom` is unknown)
      await client.diagnosticsOf(uri, (d) => d.some((x) => x.code === protocol.DiagnosticCode.UnknownPrompt));
      const hover = (await client.hoverAt(uri, position))!;
      assert.match(hover, /1\.1\.0/);
      assert.doesNotMatch(hover, /command:/);
      assert.deepEqual(client.notificationMethods().filter((m) => m.startsWith('promptforge/')), []);
    } finally {
      await client.stop();
    }
  });

  it('brings them back for a client that declares the extension capability', async () => {
    const client = await TestClient.start({ settings: { hosts: { local: { path: repo.dir } } } });
    try {
      const { uri, position } = await client.openAt(text);
      const hover = (await client.hoverAt(uri, position))!;
      assert.match(hover, new RegExp(`command:${protocol.Commands.openPrompt.replace('.', '\\.')}`));
      const methods = client.notificationMethods();
      assert.ok(methods.includes(protocol.IndexReadyNotification.method), methods.join(', '));
      assert.ok(methods.includes(protocol.HostStateNotification.method), methods.join(', '));
    } finally {
      await client.stop();
    }
  });
});

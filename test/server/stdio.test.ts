import assert from 'node:assert/strict';
import { fixtureRepo } from './support/fixtureRepo';
import { TestClient } from './support/client';
import type { TestRepo } from '../fixtures/git/makeRepo';

describe('server: the built promptforge-language-server as its own process', () => {
  let repo: TestRepo;
  before(() => {
    repo = fixtureRepo();
  });
  after(() => repo.cleanup());

  it('starts, reads initializationOptions, publishes diagnostics and hovers, then exits', async () => {
    // A client without workspace/configuration, as many editors are.
    const client = await TestClient.start({ spawn: {}, initializationOptionsOnly: true, settings: { hosts: { local: { path: repo.dir } } } });
    try {
      const uri = await client.open('x = "prompt://local/demo/welcome/production?app_name=Acme&tire=1"', 'python');
      const diagnostics = await client.diagnosticsOf(uri);
      assert.deepEqual(diagnostics.map((d) => d.code), ['unknown-param']);
      const text = await client.hoverAt(uri, { line: 0, character: 30 });
      assert.match(text!, /Welcome to Acme!/);
    } finally {
      await client.stop();
    }
  });

  it('runs over node IPC, as VS Code starts it, with settings from workspace/configuration', async () => {
    const client = await TestClient.start({ spawn: { transport: 'ipc' }, settings: { hosts: { local: { path: repo.dir } } } });
    try {
      const items = await client.completion('"prompt://local/demo/|"');
      assert.deepEqual(items.map((i) => i.label).sort(), ['legacy', 'signature', 'summary', 'welcome']);
    } finally {
      await client.stop();
    }
  });
});

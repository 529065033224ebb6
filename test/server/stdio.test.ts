import assert from 'node:assert/strict';
import { fixtureRepo } from './support/fixtureRepo';
import { TestClient } from './support/client';
import type { TestRepo } from '../fixtures/git/makeRepo';

describe('server: the built promptforge-language-server --stdio', () => {
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
});

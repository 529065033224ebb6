import assert from 'node:assert/strict';
import { fixtureRepo } from './support/fixtureRepo';
import { TestClient } from './support/client';
import type { TestRepo } from '../fixtures/git/makeRepo';

describe('server: hover', () => {
  let repo: TestRepo;
  let client: TestClient;
  before(async () => {
    repo = fixtureRepo();
    client = await TestClient.start({ settings: { hosts: { local: { path: repo.dir } } } });
  });
  after(async () => {
    await client.stop();
    repo.cleanup();
  });

  it('renders the prompt with the URI params and defaults, and names the resolved version', async () => {
    const text = await client.hover('const p = "prompt://local/demo/wel|come/production?app_name=Acme";');
    assert.ok(text, 'a hover');
    assert.match(text, /\*\*welcome\*\* — Greets a new user/);
    assert.match(text, /Welcome to Acme! You are on the free plan\./);
    assert.match(text, /`production` → \*\*1\.1\.0\*\* `[0-9a-f]{7}`/);
    assert.match(text, /warmer welcome/);
    assert.match(text, /Labels: `production`/);
    assert.match(text, /command:promptforge\.openPrompt/);
    assert.match(text, /command:promptforge\.compareWithProduction/);
    assert.match(text, /command:promptforge\.renderAndTest/);
  });

  it('marks a missing required param in the render', async () => {
    const text = await client.hover('x = "prompt://local/demo/|welcome/HEAD"', 'python');
    assert.match(text!, /Hi there, ‹app_name: missing›!/);
    assert.match(text!, /`app_name`: string, required = \*\*missing\*\*/);
  });
});

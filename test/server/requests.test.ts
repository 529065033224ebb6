import assert from 'node:assert/strict';
import { ResponseError } from 'vscode-jsonrpc';
import * as protocol from '../../server/src/protocol';
import { errorCode, isConflict } from '../../client/src/errors';
import { fixtureRepo, welcome } from './support/fixtureRepo';
import { TestClient } from './support/client';
import type { TestRepo } from '../fixtures/git/makeRepo';

describe('server: custom requests', () => {
  let repo: TestRepo;
  let client: TestClient;
  const at = { host: 'local', repo: 'demo' };
  before(async () => {
    repo = fixtureRepo();
    client = await TestClient.start({ settings: { hosts: { local: { path: repo.dir }, down: { url: 'http://127.0.0.1:9' } } } });
  });
  after(async () => {
    await client.stop();
    repo.cleanup();
  });

  async function rejection(promise: Promise<unknown>): Promise<ResponseError<protocol.ErrorData>> {
    try {
      await promise;
    } catch (error) {
      return error as ResponseError<protocol.ErrorData>;
    }
    assert.fail('expected the request to fail');
  }

  it('tree: hosts with state, repos, prompts with labels, releases and history', async () => {
    const { hosts } = await client.request(protocol.TreeRequest, {});
    const local = hosts.find((h) => h.name === 'local')!;
    assert.equal(local.state, 'connected');
    assert.equal(hosts.find((h) => h.name === 'down')!.state, 'unreachable');
    const welcomeNode = local.repos[0].prompts.find((p) => p.id === 'welcome')!;
    assert.equal(welcomeNode.description, 'Greets a new user');
    assert.deepEqual(welcomeNode.labels.map((l) => [l.name, l.sha, l.release]), [['production', repo.shas[1], '1.1.0'], ['staging', repo.shas[3], undefined]]);
    assert.deepEqual(welcomeNode.releases.map((r) => r.version), ['1.1.0', '1.0.0']);
    assert.deepEqual(welcomeNode.history.map((v) => v.message), ['casual welcome', 'warmer welcome', 'add welcome']);
    assert.equal(local.repos[0].prompts.find((p) => p.id === 'legacy')!.status, 'deprecated');
    assert.equal(local.repos[0].prompts.find((p) => p.id === 'summary')!.type, 'chat');
  });

  it('versions: the full history, newest first', async () => {
    const result = await client.request(protocol.VersionsRequest, { ...at, id: 'welcome' });
    assert.deepEqual(result.versions.map((v) => v.sha), [repo.shas[3], repo.shas[1], repo.shas[0]]);
    assert.equal(result.stale, false);
  });

  it('documentContent: the file at a version, by promptforge: URI', async () => {
    const uri = protocol.formatDocumentUri({ ...at, id: 'welcome', version: '1.0.0' });
    const result = await client.request(protocol.DocumentContentRequest, { uri });
    assert.equal(result.text, welcome('Hello'));
    assert.equal(result.sha, repo.shas[0]);
  });

  it('diff: two pinned documents and a unified patch', async () => {
    const result = await client.request(protocol.DiffRequest, { ...at, id: 'welcome', from: 'production', to: 'HEAD' });
    assert.equal(result.left, protocol.formatDocumentUri({ ...at, id: 'welcome', version: repo.shas[1] }));
    assert.equal(result.right, protocol.formatDocumentUri({ ...at, id: 'welcome', version: repo.shas[3] }));
    assert.match(result.patch, /-Welcome to \{\{app_name\}\}/);
    assert.match(result.patch, /\+Hi there, \{\{app_name\}\}/);
  });

  it('render: text with params, problems for missing ones, chat messages', async () => {
    const text = await client.request(protocol.RenderRequest, { uri: 'prompt://local/demo/welcome/1.1.0?app_name=Acme', params: { tier: 'premium' } });
    assert.match(text.text!, /^Welcome to Acme! You are on the premium plan\./);
    assert.equal(text.sha, repo.shas[1]);
    assert.equal(text.release, '1.1.0');
    assert.equal(text.pinnedUri, `prompt://local/demo/welcome/${repo.shas[1]}`);
    assert.equal(text.params.app_name.required, true);
    const missing = await client.request(protocol.RenderRequest, { uri: 'prompt://local/demo/welcome/1.1.0' });
    assert.equal(missing.text, undefined);
    assert.equal(missing.problems.length, 1);
    assert.match(missing.problems[0].message, /app_name/);
    const chat = await client.request(protocol.RenderRequest, { target: { ...at, id: 'summary', version: 'production' }, params: { text: 'Long text' } });
    assert.equal(chat.type, 'chat');
    assert.deepEqual(chat.messages?.map((m) => m.role), ['system', 'user']);
  });

  it('resolveAt: the reference under the cursor, expanded and pinned', async () => {
    const { uri, position } = await client.openAt('p = client.get("prompt://local/demo/welcome/pro|duction?app_name=Acme")', 'python');
    const result = await client.request(protocol.ResolveAtRequest, { textDocument: { uri }, position });
    assert.equal(result?.uri, 'prompt://local/demo/welcome/production?app_name=Acme');
    assert.equal(result?.pinnedUri, `prompt://local/demo/welcome/${repo.shas[1]}?app_name=Acme`);
    assert.deepEqual(result?.params, { app_name: 'Acme' });
    const nothing = await client.request(protocol.ResolveAtRequest, { textDocument: { uri }, position: { line: 0, character: 1 } });
    assert.equal(nothing, null);
  });

  it("resolveVersion: a spec resolved with the forge's rules (~N, ranges, labels, SHA prefixes), pinned", async () => {
    const resolve = (version?: string) => client.request(protocol.ResolveVersionRequest, { ...at, id: 'welcome', ...(version !== undefined ? { version } : {}) });
    const cases: Array<[string | undefined, string, string]> = [
      [undefined, 'HEAD', repo.shas[3]],
      ['production', 'label', repo.shas[1]],
      ['production~1', 'label', repo.shas[0]],
      ['^1.0', 'range', repo.shas[1]],
      ['1.0.0', 'release', repo.shas[0]],
      [repo.shas[1].slice(0, 8), 'sha', repo.shas[1]],
    ];
    for (const [version, kind, sha] of cases) {
      const result = await resolve(version);
      assert.equal(result.sha, sha, `${version}: sha`);
      assert.equal(result.kind === kind || (version === undefined && result.kind === 'head'), true, `${version}: kind ${result.kind}`);
      assert.equal(result.pinnedUri, `prompt://local/demo/welcome/${sha}`);
    }
    assert.equal((await resolve('^1.0')).uri, 'prompt://local/demo/welcome/^1.0');
    assert.equal((await resolve()).uri, 'prompt://local/demo/welcome');
    const missing = await rejection(resolve('prodution'));
    assert.equal(missing.code, protocol.ErrorCodes.NotFound);
    assert.equal(missing.data?.code, 'version_not_found');
    assert.match(missing.message, /production/); // did-you-mean
    assert.equal((await rejection(resolve('-x'))).data?.code, 'invalid_version');
    assert.equal((await rejection(client.request(protocol.ResolveVersionRequest, { ...at, id: 'nope' }))).data?.code, 'prompt_not_found');
  });

  it('hostStatus: each host with its state and counts', async () => {
    const { hosts } = await client.request(protocol.HostStatusRequest, undefined);
    const local = hosts.find((h) => h.name === 'local')!;
    assert.deepEqual([local.kind, local.state, local.repos, local.prompts], ['local', 'connected', 1, 4]);
    const down = hosts.find((h) => h.name === 'down')!;
    assert.equal(down.state, 'unreachable');
    assert.match(down.message!, /127\.0\.0\.1:9/);
  });

  it('promote: moves a label, and a stale expected gets a typed conflict', async () => {
    const changed = client.nextNotification(protocol.TreeChangedNotification, (p) => p.host === 'local');
    const moved = await client.request(protocol.PromoteRequest, { ...at, id: 'welcome', label: 'production', version: 'HEAD', expected: repo.shas[1] });
    assert.deepEqual(moved, { label: 'production', from: repo.shas[1], to: repo.shas[3] });
    await changed;
    const { versions } = await client.request(protocol.VersionsRequest, { ...at, id: 'welcome' });
    assert.deepEqual(versions[0].labels.sort(), ['production', 'staging']);
    const error = await rejection(client.request(protocol.PromoteRequest, { ...at, id: 'welcome', label: 'production', version: '1.0.0', expected: repo.shas[1] }));
    assert.equal(error.code, protocol.ErrorCodes.Conflict);
    assert.equal(error.data?.code, 'label_conflict');
    assert.equal((error.data as protocol.ConflictData).current, repo.shas[3]);
    assert.match(error.message, /production/);
    // what the extension decides from it: the conflict flow (not a plain failure) runs
    assert.equal(errorCode(error), 'label_conflict');
    assert.equal(isConflict(error), true);
  });

  it('release: tags a version; an existing release is a conflict', async () => {
    const result = await client.request(protocol.ReleaseRequest, { ...at, id: 'welcome', version: '1.2.0', ref: 'HEAD' });
    assert.deepEqual(result, { version: '1.2.0', sha: repo.shas[3] });
    const error = await rejection(client.request(protocol.ReleaseRequest, { ...at, id: 'welcome', version: '1.2.0', ref: 'HEAD' }));
    assert.equal(error.code, protocol.ErrorCodes.Conflict);
    assert.equal(error.data?.code, 'release_exists');
  });

  it('commitPrompt: a new version, conflicts when the base is stale, invalid files rejected', async () => {
    const result = await client.request(protocol.CommitPromptRequest, { ...at, id: 'welcome', content: welcome('Greetings,'), base: repo.shas[3], message: 'formal welcome' });
    assert.match(result.sha, /^[0-9a-f]{40}$/);
    assert.equal(result.pinnedUri, `prompt://local/demo/welcome/${result.sha}`);
    const { versions } = await client.request(protocol.VersionsRequest, { ...at, id: 'welcome' });
    assert.equal(versions[0].message, 'formal welcome');
    const stale = await rejection(client.request(protocol.CommitPromptRequest, { ...at, id: 'welcome', content: welcome('Hey'), base: repo.shas[3], message: 'late edit' }));
    assert.equal(stale.code, protocol.ErrorCodes.Conflict);
    assert.equal(stale.data?.code, 'branch_conflict');
    assert.equal(isConflict(stale), true, 'saving over a newer version offers Compare with Latest');
    const invalid = await rejection(client.request(protocol.CommitPromptRequest, { ...at, id: 'fresh', content: '---\nparams: [\n---\nx', base: null, message: 'broken' }));
    assert.equal(invalid.code, protocol.ErrorCodes.Invalid);
    assert.equal(invalid.data?.code, 'invalid_prompt');
    assert.equal(isConflict(invalid), false);
  });

  it('follows changes made with plain git: a label moved outside the editor', async () => {
    const changed = client.nextNotification(protocol.TreeChangedNotification, (p) => p.host === 'local');
    repo.git('update-ref', 'refs/labels/summary/staging', repo.shas[2]);
    await changed;
    const { hosts } = await client.request(protocol.TreeRequest, { host: 'local' });
    const summary = hosts[0].repos[0].prompts.find((p) => p.id === 'summary')!;
    assert.deepEqual(summary.labels.map((l) => l.name), ['production', 'staging']);
  });

  it('unknown hosts and prompts are typed not-found errors', async () => {
    const error = await rejection(client.request(protocol.VersionsRequest, { host: 'local', repo: 'demo', id: 'nope' }));
    assert.equal(error.code, protocol.ErrorCodes.NotFound);
    assert.equal(error.data?.code, 'prompt_not_found');
    const host = await rejection(client.request(protocol.DiffRequest, { host: 'nowhere', repo: 'demo', id: 'x', from: 'a', to: 'b' }));
    assert.equal(host.code, protocol.ErrorCodes.NotFound);
    assert.equal(host.data?.code, 'unknown_host');
  });
});

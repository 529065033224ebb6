import assert from 'node:assert/strict';
import { ForgeClient } from '../../sdk';
import * as protocol from '../../server/src/protocol';
import { startForge, type ForgeProcess } from '../forge/apiServer';
import { fixtureRepo } from './support/fixtureRepo';
import { TestClient } from './support/client';
import type { TestRepo } from '../fixtures/git/makeRepo';

// A file as people write them: comments, tags, a model, odd spacing and key order.
const styled = `---
# who reads this: the onboarding team
description:   Styled on purpose
tags: [onboarding, beta]   # keep beta until launch
model: { name: gpt-4o-mini,  temperature: 0.2 }
params:
  name: { type: string, required: true }
---
{{! greeting for new users }}
Hello   {{name}}.

Bye.
`;

describe('server: remote .prompt files are the forge\'s bytes (a real forge)', () => {
  let repo: TestRepo;
  let forge: ForgeProcess;
  let api: ForgeClient;
  let client: TestClient;
  const at = { host: 'forge', repo: 'demo', id: 'styled' };
  let base: string;
  before(async () => {
    repo = fixtureRepo();
    forge = await startForge(['--repo', `demo=${repo.dir}`]);
    api = new ForgeClient({ url: forge.url });
    base = String((await api.commitPrompt('demo', 'styled', { content: styled, message: 'add styled' })).sha);
    client = await TestClient.start({ settings: { hosts: { forge: { url: forge.url } } } });
  });
  after(async () => {
    await client?.stop();
    await api?.close();
    await forge?.stop();
    repo.cleanup();
  });

  it('serves GET …/source byte for byte, with the blob id as ETag and a 304 for an unchanged copy', async () => {
    const source = await api.source('demo', 'styled', 'HEAD');
    assert.ok(!('notModified' in source));
    assert.equal(source.text, styled);
    assert.equal(source.sha, base);
    assert.equal(source.blob, repo.git('rev-parse', `${base}:styled.prompt`));
    assert.deepEqual(await api.source('demo', 'styled', base, { ifNoneMatch: source.blob }), { notModified: true, sha: base, blob: source.blob });
    const missing = await api.source('demo', 'styled', 'nope').catch((e) => e);
    assert.equal(missing.code, 'version_not_found');
  });

  it('opens a remote prompt with its comments, tags, model and formatting', async () => {
    const doc = await client.request(protocol.DocumentContentRequest, { uri: protocol.formatDocumentUri({ ...at, version: 'HEAD' }) });
    assert.equal(doc.text, styled);
    assert.equal(doc.sha, base);
  });

  it('saving without changes commits nothing; an edit changes only the edited bytes', async () => {
    const before = await api.versions('demo', 'styled');
    const doc = await client.request(protocol.DocumentContentRequest, { uri: protocol.formatDocumentUri({ ...at, version: 'HEAD' }) });
    const same = await client.request(protocol.CommitPromptRequest, { ...at, content: doc.text, base: doc.sha, message: 'no change' });
    assert.equal(same.sha, base, 'no new version');
    assert.equal((await api.versions('demo', 'styled')).length, before.length);

    const edited = doc.text.replace('Bye.', 'See you.');
    const next = await client.request(protocol.CommitPromptRequest, { ...at, content: edited, base: doc.sha, message: 'warmer goodbye' });
    assert.notEqual(next.sha, base);
    const patch = repo.git('diff', '--unified=0', base, next.sha, '--', 'styled.prompt');
    const changed = patch.split('\n').filter((line) => /^[+-](?![+-])/.test(line));
    assert.deepEqual(changed, ['-Bye.', '+See you.']);
  });

  it('flags a version that is no branch, label or release, as on a local folder; a real branch is fine', async () => {
    const uri = await client.open('"prompt://forge/demo/welcome/nope?app_name=A" "prompt://forge/demo/welcome/feature/x?app_name=A"');
    const diagnostics = await client.diagnosticsOf(uri, (d) => d.length > 0);
    assert.deepEqual(diagnostics.map((d) => d.code), [protocol.DiagnosticCode.VersionNotFound]);
    assert.equal(diagnostics[0].range.start.character, '"prompt://forge/demo/welcome/'.length);
  });
});

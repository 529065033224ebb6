import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentLink, InlayHint, Location, WorkspaceSymbol } from 'vscode-languageserver-protocol';
import { FindUsagesRequest } from '../../server/src/protocol';
import { fixtureRepo } from './support/fixtureRepo';
import { TestClient } from './support/client';
import type { TestRepo } from '../fixtures/git/makeRepo';

describe('server: navigation', () => {
  let repo: TestRepo;
  let workspace: string;
  let client: TestClient;
  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'pf-ws-'));
    repo = fixtureRepo(workspace);
    // A small app in several languages, and a dependency folder that must be skipped.
    cpSync(join(__dirname, '../fixtures/workspaces/polyglot'), workspace, { recursive: true });
    mkdirSync(join(workspace, 'node_modules/dep'), { recursive: true });
    writeFileSync(join(workspace, 'node_modules/dep/index.js'), 'get("prompt://local/demo/welcome")\n');
    mkdirSync(join(workspace, 'generated'));
    writeFileSync(join(workspace, 'generated/copy.ts'), 'get("prompt://local/demo/welcome")\n');
    writeFileSync(join(workspace, '.gitignore'), '# build output\ngenerated/\n');
    client = await TestClient.start({ folder: workspace, settings: { hosts: { local: { path: './demo' } }, defaultRepo: 'demo' } });
  });
  after(async () => {
    await client.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('goes to the work-tree file when the reference is what the work tree holds', async () => {
    const { uri, position } = await client.openAt('"prompt://local/demo/wel|come/HEAD"');
    const location = (await client.definition(uri, position)) as Location;
    assert.equal(location.uri, pathToFileURL(join(repo.dir, 'welcome.prompt')).href);
  });

  it('goes to a read-only versioned document for any other version', async () => {
    const { uri, position } = await client.openAt('"prompt://local/demo/wel|come/1.0.0"');
    const location = (await client.definition(uri, position)) as Location;
    assert.equal(location.uri, `promptforge://local/demo/welcome.prompt?version=${repo.shas[0]}`);
  });

  it('links every reference to its prompt', async () => {
    const uri = await client.open('a = "prompt://local/demo/welcome/1.0.0"; b = "prompt://local/demo/nope"');
    const links = (await client.documentLinks(uri)) as DocumentLink[];
    assert.deepEqual(links.map((l) => l.target), [`promptforge://local/demo/welcome.prompt?version=${repo.shas[0]}`]);
  });

  it('shows what movable versions resolve to now, and nothing for pinned ones', async () => {
    const text = '"prompt://local/demo/welcome/production" "prompt://local/demo/welcome/1.0.0" "prompt://local/demo/welcome/staging"';
    const uri = await client.open(text);
    const hints = (await client.inlayHints(uri, text)) as InlayHint[];
    assert.deepEqual(hints.map((h) => h.label), [`→ 1.1.0 ${repo.shas[1].slice(0, 7)}`, `→ ${repo.shas[3].slice(0, 7)}`]);
  });

  it('finds references across the workspace in every language, skipping node_modules and what .gitignore names', async () => {
    const { uri, position } = await client.openAt('"prompt://local/demo/wel|come"');
    const found = ((await client.references(uri, position)) as Location[]).map((l) => l.uri.slice(pathToFileURL(workspace).href.length + 1)).sort();
    assert.deepEqual(found, ['README.md', 'app/main.ts', 'app/prompts.ex', 'app/worker.py']);
  });

  it('finds usages of a prompt named by the tree (promptforge/findUsages)', async () => {
    const found = await client.request(FindUsagesRequest, { host: 'local', repo: 'demo', id: 'summary' });
    assert.deepEqual(found.map((l) => [l.uri.slice(pathToFileURL(workspace).href.length + 1), l.range.start.line]), [['app/prompts.go', 3]]);
  });

  it('lists prompts as workspace symbols', async () => {
    const symbols = (await client.workspaceSymbols('sum')) as WorkspaceSymbol[];
    assert.deepEqual(symbols.map((s) => [s.name, s.containerName]), [['summary', 'local/demo']]);
  });
});

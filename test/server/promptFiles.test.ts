import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CompletionRequest, HoverRequest, type CompletionList, type Hover, type Location } from 'vscode-languageserver-protocol';
import { DiagnosticCode } from '../../server/src/protocol';
import { fixtureRepo, welcome } from './support/fixtureRepo';
import { cursor, positionOf, TestClient } from './support/client';
import type { TestRepo } from '../fixtures/git/makeRepo';

describe('server: .prompt files', () => {
  let repo: TestRepo;
  let client: TestClient;
  let count = 0;
  before(async () => {
    repo = fixtureRepo();
    writeFileSync(join(repo.dir, 'loop_b.prompt'), '---\ndescription: includes loop_a\n---\n{{> loop_a}}\n');
    client = await TestClient.start({ folder: repo.dir, settings: { hosts: { local: { path: repo.dir } } } });
  });
  after(async () => {
    await client.stop();
    repo.cleanup();
  });

  const uriOf = (id: string) => pathToFileURL(join(repo.dir, `${id}.prompt`)).href;

  async function check(id: string, text: string): Promise<Array<[string, string]>> {
    const uri = await client.open(text, 'prompt', uriOf(id));
    const diagnostics = await client.diagnosticsOf(uri);
    const lines = text.split('\n');
    return diagnostics.map((d) => [String(d.code), lines[d.range.start.line].slice(d.range.start.character, d.range.end.character)]);
  }

  it('a clean prompt has no problems; a declared but unused param is reported', async () => {
    assert.deepEqual(await check('welcome', welcome('Hello')), [[DiagnosticCode.UnusedParam, 'seats']]);
  });

  it('reports params used but not declared', async () => {
    assert.deepEqual(await check(`p${++count}`, '---\nparams:\n  name: { type: string }\n---\nHi {{name}} from {{company}}\n'), [[DiagnosticCode.UndeclaredParam, 'company']]);
  });

  it('reports front matter problems with their position', async () => {
    const found = await check(`p${++count}`, '---\nstatus: gone\n---\nHi\n');
    assert.equal(found.length, 1);
    assert.equal(found[0][0], DiagnosticCode.InvalidFrontMatter);
  });

  it('reports unknown partials and partial cycles', async () => {
    assert.deepEqual(await check(`p${++count}`, 'Hi {{> nothere}}\n'), [[DiagnosticCode.UnknownPartial, 'nothere']]);
    assert.deepEqual(await check('loop_a', 'A {{> loop_b}}\n'), [[DiagnosticCode.PartialCycle, 'loop_b']]);
  });

  async function completeIn(id: string, marked: string): Promise<string[]> {
    const { text, offset } = cursor(marked);
    const uri = await client.open(text, 'prompt', uriOf(id));
    const list = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: positionOf(text, offset) })) as CompletionList | null;
    return (list?.items ?? []).map((i) => i.label).sort();
  }

  it('completes declared params inside {{ and prompt ids after {{>', async () => {
    assert.deepEqual(await completeIn(`p${++count}`, '---\nparams:\n  name: { type: string }\n  tier: { type: string }\n---\nHi {{|'), ['name', 'tier']);
    assert.deepEqual(await completeIn(`p${++count}`, 'Hi {{> sig|'), ['legacy', 'signature', 'summary', 'welcome']);
  });

  it('goes from {{> id}} to the included prompt file', async () => {
    const { text, offset } = cursor(welcome('Hello').replace('{{> signature}}', '{{> sign|ature}}'));
    const uri = await client.open(text, 'prompt', uriOf('welcome'));
    const location = (await client.definition(uri, positionOf(text, offset))) as Location;
    assert.equal(location.uri, uriOf('signature'));
  });

  it('shows a param schema on hover', async () => {
    const { text, offset } = cursor(welcome('Hello').replace('{{app_name}}', '{{app_|name}}'));
    const uri = await client.open(text, 'prompt', uriOf('welcome'));
    const hover = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionOf(text, offset) })) as Hover;
    assert.match((hover.contents as { value: string }).value, /\*\*app_name\*\*: string \(required\)\n\nProduct name/);
  });
});

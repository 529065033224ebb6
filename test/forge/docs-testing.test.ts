/** Runs the example of docs/testing.md: its prompt and suite, through the real CLI, must print exactly the output the doc shows. */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LlmStub } from '../fixtures/llm-stub';
import { CLI, tempDir } from './apiServer';
import { block } from './support/docBlocks';

const doc = readFileSync(join(__dirname, '../../docs/testing.md'), 'utf8');

describe('docs/testing.md', () => {
  const tmp = tempDir('pf-docs-testing-');
  let stub: LlmStub;
  before(async () => (stub = await LlmStub.start({ reply: () => "Welcome to Acme — glad you're here!" })));
  after(async () => {
    await stub.close();
    tmp.cleanup();
  });

  it('the example suite prints what the doc shows', async () => {
    writeFileSync(join(tmp.dir, 'welcome.prompt'), block(doc, 'prompt'));
    writeFileSync(join(tmp.dir, 'welcome.test.yaml'), block(doc, 'suite'));
    const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, [CLI, 'test', '--endpoint', stub.url], { cwd: tmp.dir, encoding: 'utf8' }, (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr })),
    );
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, block(doc, 'output'));
    assert.equal(stub.requests.at(-1)!.body.model, 'gpt-4o-mini', 'the prompt\'s model.name is used');
  });
});

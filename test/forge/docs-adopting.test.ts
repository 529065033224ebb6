/** The import example of docs/adopting.md, run through the real CLI: the doc's files give the doc's plan, and the prompt renders as str.format would. */
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PromptStore } from '../../forge/store';
import { runCli, tempDir } from './apiServer';
import { block } from './support/docBlocks';

const doc = readFileSync(join(__dirname, '../../docs/adopting.md'), 'utf8');

describe('docs/adopting.md', () => {
  it('the files example plans what the doc shows, and applies to a prompt that renders like str.format', async () => {
    const tmp = tempDir('pf-docs-adopt-');
    try {
      const folder = join(tmp.dir, 'prompts');
      mkdirSync(folder);
      for (const line of block(doc, 'files').trim().split('\n')) {
        const colon = line.indexOf(': ');
        writeFileSync(join(folder, line.slice(0, colon)), `${line.slice(colon + 2)}\n`);
      }
      const repo = join(tmp.dir, 'my-prompts');
      assert.equal(runCli(['init', repo]).code, 0);
      const plan = runCli(['import', folder, '--repo', repo]);
      assert.equal(plan.code, 0, plan.stderr);
      assert.equal(plan.stdout, block(doc, 'plan'));
      assert.equal(runCli(['import', folder, '--repo', repo, '--apply']).code, 0);
      const store = await PromptStore.open(repo, { watch: false });
      try {
        assert.equal((await store.render('welcome', 'HEAD', { name: 'Ann', app: 'Acme' })).text, 'Hello Ann, welcome to Acme!\n');
      } finally {
        await store.close();
      }
    } finally {
      tmp.cleanup();
    }
  });
});

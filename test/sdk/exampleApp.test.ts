import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ForgeProcess, makeDemoRepo } from './helpers/forgeProcess';

const run = promisify(execFile);
const example = join(resolve(__dirname, '../..'), 'examples/app/index.js');

describe('sdk example app (examples/app)', () => {
  let demo: string;
  let forge: ForgeProcess;

  before(async () => {
    demo = makeDemoRepo();
    forge = await ForgeProcess.start({ demo });
  });
  after(async () => {
    await forge?.stop();
    rmSync(dirname(demo), { recursive: true, force: true });
  });

  it('prints the demo welcome prompt from the forge, and its shipped copy when the forge is down', async () => {
    const env = { ...process.env, PROMPTFORGE_URL: forge.url };
    const up = await run(process.execPath, [example], { env });
    assert.match(up.stdout, /^source: forge$/m);
    assert.match(up.stdout, /^prompt: prompt:\/\/localhost:7070\/demo\/welcome\/production → \S+ \(production\)$/m);
    assert.match(up.stdout, /^Welcome to Acme, there! You are on the free plan\.$/m);

    await forge.kill();
    const down = await run(process.execPath, [example], { env });
    assert.match(down.stdout, /^source: fallback$/m);
    assert.match(down.stdout, /→ the copy shipped with the app$/m);
    assert.match(down.stdout, /^Welcome to Acme! You are on the free plan\.$/m);
  });
});

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { makeFixtureRepo, type FixtureRepo } from './helpers/fixtureRepo';

const run = promisify(execFile);
const root = resolve(__dirname, '../..');

describe('sdk as a package: CommonJS, ESM and types', () => {
  let repo: FixtureRepo;
  let app: string;

  before(() => {
    repo = makeFixtureRepo();
    // An app folder outside the repo with promptforge installed as a dependency.
    app = mkdtempSync(join(tmpdir(), 'pf-sdk-app-'));
    mkdirSync(join(app, 'node_modules'));
    symlinkSync(root, join(app, 'node_modules', 'promptforge'), 'dir');
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  });
  after(() => {
    rmSync(app, { recursive: true, force: true });
    rmSync(repo.root, { recursive: true, force: true });
  });

  const script = (importLine: string) => `${importLine}
const client = createPromptClient({ hosts: { h: { path: process.env.REPOS } }, defaults: { host: 'h', repo: 'demo' }, liveUpdates: false });
client.get('welcome:production', { app_name: 'Acme' }).then(async (r) => {
  console.log(JSON.stringify({ source: r.source, text: r.text, sha: r.sha, errors: typeof PromptUriError }));
  await client.close();
});`;

  it('works through require() and import, from an app that installed it', async () => {
    writeFileSync(join(app, 'cjs.cjs'), script("const { createPromptClient, PromptUriError } = require('promptforge/sdk');"));
    writeFileSync(join(app, 'esm.mjs'), script("import { createPromptClient, PromptUriError } from 'promptforge/sdk';"));
    const outputs = await Promise.all(['cjs.cjs', 'esm.mjs'].map(async (file) => JSON.parse((await run(process.execPath, [file], { cwd: app, env: { ...process.env, REPOS: repo.root } })).stdout)));
    for (const out of outputs) {
      assert.equal(out.source, 'forge');
      assert.equal(out.text, 'Welcome to Acme (v1)! You are on the free plan.\n');
      assert.equal(out.sha, repo.v[0]);
      assert.equal(out.errors, 'function');
    }
    assert.deepEqual(outputs[0], outputs[1]);
  });

  it('ships types that a TypeScript app compiles against', async () => {
    writeFileSync(
      join(app, 'typed.ts'),
      `import { createPromptClient, ForgeClient, PromptUnavailableError, type PromptResult } from 'promptforge/sdk';
const client = createPromptClient({ hosts: { h: { url: 'http://127.0.0.1:1' } }, cache: { ttlMs: 10 } });
const result: Promise<PromptResult> = client.get('welcome', { app_name: 'A' });
const source: 'forge' | 'cache' | 'stale' | 'snapshot' | 'fallback' = (null as unknown as PromptResult).source;
new ForgeClient({ url: 'http://x' }).promote('demo', 'welcome', 'production', { version: '1.0.0', expected: null });
export { result, source, PromptUnavailableError };
`,
    );
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'node16', moduleResolution: 'node16', target: 'es2022', skipLibCheck: true, types: [] }, files: ['typed.ts'] }));
    await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', app], { cwd: app });
  });
});

/**
 * DESIGN §1's dependency table, enforced: the project's own imports break no rule of
 * .dependency-cruiser.cjs, and each rule really fails a wrong import (fixtures written
 * to a temp folder laid out like the project).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { ICruiseResult, IViolation } from 'dependency-cruiser';

const root = resolve(__dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const config = require(join(root, '.dependency-cruiser.cjs'));

/** Cruises `paths` under `baseDir` with the project's rules; returns the violations. */
async function violations(baseDir: string, paths: string[], tsConfig?: string): Promise<IViolation[]> {
  // dependency-cruiser ships as ES modules only.
  const { cruise } = await import('dependency-cruiser');
  const options = { ...config.options, baseDir, validate: true, ruleSet: { forbidden: config.forbidden } };
  if (tsConfig) options.tsConfig = { fileName: tsConfig };
  else delete options.tsConfig;
  const result = await cruise(paths, options);
  return (result.output as ICruiseResult).summary.violations;
}

const describeViolation = (v: IViolation) => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (cycle ${v.cycle.map((c) => c.name).join(' → ')})` : ''}`;

describe('layering (DESIGN §1)', function () {
  this.timeout(120_000);

  it('the project imports only what its layer may, in no cycle', async () => {
    const layers = ['core', 'forge', 'sdk', 'server', 'client', 'web'].filter((dir) => existsSync(join(root, dir)));
    const found = await violations(root, layers, 'tsconfig.json');
    assert.deepEqual(found.map(describeViolation), []);
  });

  describe('a wrong import fails it, naming the rule', () => {
    let dir: string;
    const write = (files: Record<string, string>) => {
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
    };
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'pf-layering-'));
      // Every layer has something to import.
      write({
        'core/uri.ts': 'export const uri = 1;\n',
        'forge/store/index.ts': 'export const store = 1;\n',
        'forge/http/server.ts': 'export const http = 1;\n',
        'sdk/client.ts': 'export const client = 1;\n',
        'server/src/protocol.ts': 'export const protocol = 1;\n',
        'server/src/server.ts': 'export const server = 1;\n',
        'client/src/extension.ts': 'export const extension = 1;\n',
        'core/backgroundCache.ts': 'export class BackgroundCache {}\n',
      });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const cases: { name: string; files: Record<string, string>; rule: string; from: string }[] = [
      { name: 'core importing forge/', files: { 'core/bad.ts': "import { store } from '../forge/store';\nexport const x = store;\n" }, rule: 'core-imports-no-layer', from: 'core/bad.ts' },
      { name: 'core importing a node: module', files: { 'core/bad.ts': "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n" }, rule: 'core-is-io-free', from: 'core/bad.ts' },
      {
        name: 'a cycle, even of types only',
        files: { 'core/a.ts': "import type { B } from './b';\nexport type A = B;\n", 'core/b.ts': "import { uri } from './uri';\nimport type { A } from './a';\nexport type B = { a?: A; u: typeof uri };\n" },
        rule: 'no-cycles',
        from: 'core/a.ts',
      },
      { name: 'forge importing the SDK', files: { 'forge/bad.ts': "import { client } from '../sdk/client';\nexport const x = client;\n" }, rule: 'forge-imports-core-only', from: 'forge/bad.ts' },
      { name: 'the SDK (not its local mode) importing forge/', files: { 'sdk/bad.ts': "import { store } from '../forge/store';\nexport const x = store;\n" }, rule: 'sdk-forge-only-from-local', from: 'sdk/bad.ts' },
      { name: "the SDK's local mode importing the forge's HTTP layer", files: { 'sdk/localBad.ts': "import { http } from '../forge/http/server';\nexport const x = http;\n" }, rule: 'sdk-local-forge-store-only', from: 'sdk/localBad.ts' },
      { name: 'the server importing forge/ directly', files: { 'server/src/bad.ts': "import { store } from '../../forge/store';\nexport const x = store;\n" }, rule: 'server-imports-sdk-and-core', from: 'server/src/bad.ts' },
      { name: 'the extension importing server code', files: { 'client/src/bad.ts': "import { server } from '../../server/src/server';\nexport const x = server;\n" }, rule: 'client-imports-protocol-only', from: 'client/src/bad.ts' },
      { name: 'the extension importing SDK code, not types', files: { 'client/src/bad.ts': "import { client } from '../../sdk/client';\nexport const x = client;\n" }, rule: 'client-imports-sdk-types-only', from: 'client/src/bad.ts' },
      { name: "the extension importing core's stateful plumbing", files: { 'client/src/bad.ts': "import { BackgroundCache } from '../../core/backgroundCache';\nexport const x = BackgroundCache;\n" }, rule: 'client-imports-core-pure-helpers', from: 'client/src/bad.ts' },
      { name: 'the web console importing the forge', files: { 'web/bad.ts': "import { store } from '../forge/store';\nexport const x = store;\n" }, rule: 'web-imports-core-only', from: 'web/bad.ts' },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        write(c.files);
        const found = await violations(dir, Object.keys(c.files));
        assert.ok(
          found.some((v) => v.rule.name === c.rule && v.from === c.from),
          `expected ${c.rule} from ${c.from}; got ${found.map(describeViolation).join('; ') || 'none'}`,
        );
      });
    }

    it('allowed imports pass: server → sdk, client → protocol and sdk types, sdk/local → forge/store', async () => {
      write({
        'server/src/ok.ts': "import { client } from '../../sdk/client';\nimport { uri } from '../../core/uri';\nexport const x = [client, uri];\n",
        'client/src/ok.ts': "import { protocol } from '../../server/src/protocol';\nimport type { client } from '../../sdk/client';\nexport const x: [number, typeof client?] = [protocol];\n",
        'sdk/local.ts': "import { store } from '../forge/store';\nexport const x = store;\n",
      });
      assert.deepEqual((await violations(dir, ['server/src/ok.ts', 'client/src/ok.ts', 'sdk/local.ts'])).map(describeViolation), []);
    });
  });
});

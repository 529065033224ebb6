// Bundles every entry point into dist/ with esbuild. Entries whose source does not
// exist are skipped, so the build works while parts of the tree are still empty.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { execFileSync } from 'node:child_process';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client/extension.js', format: 'cjs', external: ['vscode'] },
  { entryPoints: ['server/src/main.ts'], outfile: 'dist/server/main.js', format: 'cjs' },
  { entryPoints: ['forge/cli.ts'], outfile: 'dist/forge/cli.js', format: 'cjs', external: ['better-sqlite3'] }, // native addon: loaded from node_modules
  // The SDK is a library inside the published package: both formats leave its
  // dependencies to node_modules (installed with it), so an app holds one copy of each.
  { entryPoints: ['sdk/index.ts'], outfile: 'dist/sdk/index.cjs', format: 'cjs', packages: 'external' },
  { entryPoints: ['sdk/index.ts'], outfile: 'dist/sdk/index.mjs', format: 'esm', packages: 'external' },
];

const present = entries.filter((e) => existsSync(e.entryPoints[0]));
await Promise.all(present.map((e) => build({ ...common, ...e })));

// The Render & Test webview loads @vscode-elements and its icon font from the
// extension itself (no CDN).
mkdirSync('dist/media', { recursive: true });
copyFileSync('node_modules/@vscode-elements/elements/dist/bundled.js', 'dist/media/vscode-elements.js');
for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${file}`, `dist/media/${file}`);

if (existsSync('sdk/index.ts')) {
  // Type declarations for `promptforge/sdk`.
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'sdk/tsconfig.json'], { stdio: 'inherit' });
  // tsc mirrors the source tree (sdk/ imports core/); the package's `types` points here.
  writeFileSync('dist/sdk/index.d.ts', "export * from './types/sdk/index';\n");
}
if (existsSync('web/src/main.ts')) await buildWeb();

/**
 * The web console: one script and one stylesheet with content hashes in their names (the
 * forge caches them as immutable), and index.html naming them. No inline script or style:
 * the page runs under a CSP that allows neither.
 */
async function buildWeb() {
  rmSync('dist/web', { recursive: true, force: true });
  const result = await build({
    entryPoints: ['web/src/main.ts'],
    outdir: 'dist/web/assets',
    entryNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).filter((f) => !f.endsWith('.map'));
  const js = basename(outputs.find((f) => f.endsWith('.js')));
  const css = basename(outputs.find((f) => f.endsWith('.css')));
  const page = readFileSync('web/index.html', 'utf8').replace('%CSS%', `/assets/${css}`).replace('%JS%', `/assets/${js}`);
  writeFileSync('dist/web/index.html', page);
}

console.log(`built ${present.length} entr${present.length === 1 ? 'y' : 'ies'} into dist/`);

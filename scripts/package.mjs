// Packages the VS Code extension as a .vsix: the esbuild bundles, the grammars,
// snippets, media and the docs the Marketplace shows — no node_modules.
// Usage: node scripts/package.mjs [--out FILE]   (run `npm run build` first)
import { createVSIX } from '@vscode/vsce';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
const outFlag = process.argv.indexOf('--out');
const packagePath = outFlag > 0 ? resolve(process.argv[outFlag + 1]) : resolve(root, `${manifest.name}-${manifest.version}.vsix`);

for (const built of ['dist/client/extension.js', 'dist/server/main.js', 'dist/media/vscode-elements.js']) {
  if (!existsSync(resolve(root, built))) {
    console.error(`package: ${built} is missing; run \`npm run build\` first`);
    process.exit(1);
  }
}

await createVSIX({ cwd: root, packagePath, dependencies: false });
console.log(`package: ${packagePath} (${(statSync(packagePath).size / 1024).toFixed(0)} KiB)`);

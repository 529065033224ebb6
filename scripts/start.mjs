// `npm start`: the demo in one command. Creates the demo prompt repository if it is
// missing, serves it with the forge on port 7070, and opens VS Code on the demo app
// workspace with the extension loaded from this folder. The forge runs until Ctrl-C.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist/forge/cli.js');
const demo = join(root, '.promptforge/demo');
const workspace = join(root, 'examples/workspace');
const port = Number(process.env.PROMPTFORGE_PORT ?? 7070);

if (!existsSync(cli)) {
  console.error('start: dist/forge/cli.js is missing; run `npm run build` first');
  process.exit(1);
}
if (!existsSync(demo)) {
  console.log(`start: creating the demo repository in ${demo}`);
  execFileSync(process.execPath, [cli, 'demo', demo], { stdio: 'inherit' });
}

const forge = spawn(process.execPath, [cli, 'serve', '--repo', `demo=${demo}`, '--port', String(port)], { stdio: 'inherit' });
forge.on('exit', (code, signal) => {
  console.log(`start: the forge stopped (${code ?? signal})`);
  process.exit(code ?? 0);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => forge.kill(signal));

const onPath = (cmd) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

if (onPath('code')) {
  spawn('code', [`--extensionDevelopmentPath=${root}`, workspace], { stdio: 'inherit', detached: true }).unref();
  console.log(`start: opening VS Code on ${workspace}; the forge serves http://localhost:${port} until Ctrl-C`);
} else {
  console.log(`
start: the forge serves http://localhost:${port} (Ctrl-C stops it).
\`code\` is not on PATH. Open the demo in VS Code with the extension loaded:

  code --extensionDevelopmentPath=${root} ${workspace}
${codeServerHint()}`);
}

// The e2e suite caches a real VS Code (code-server); when present, say how to use it.
function codeServerHint() {
  const cache = process.env.PROMPTFORGE_E2E_CACHE ?? join(homedir(), '.cache/promptforge-e2e');
  const entry = join(cache, 'code-server-4.100.3/node_modules/code-server/out/node/entry.js');
  if (!existsSync(entry)) return '';
  const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const vsix = join(root, `${name}-${version}.vsix`);
  return `
or, in a browser, with the code-server the e2e suite installed:

  npm run package
  node ${entry} --install-extension ${vsix}
  node ${entry} --auth none --bind-addr 127.0.0.1:8080 ${workspace}
  # then open http://127.0.0.1:8080/?folder=${workspace}
`;
}

// `npm start`: the demo in one command. Creates the demo prompt repository if it is
// missing, serves it with the forge on port 7070 (PROMPTFORGE_PORT), and opens VS Code on
// the demo app workspace with the extension loaded from this folder; prints the web
// console's URL. The forge runs until
// Ctrl-C, SIGTERM or SIGHUP, or until npm, which started this script, goes away.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist/forge/cli.js');
const demo = process.env.PROMPTFORGE_DEMO_DIR ? resolve(process.env.PROMPTFORGE_DEMO_DIR) : join(root, '.promptforge/demo');
const workspace = join(root, 'examples/workspace');
const port = process.env.PROMPTFORGE_PORT ?? '7070';

if (!existsSync(cli)) {
  console.error('start: dist/forge/cli.js is missing; run `npm run build` first');
  process.exit(1);
}
if (!existsSync(demo)) {
  console.log(`start: creating the demo repository in ${demo}`);
  // Its "next: promptforge serve …" hint is for the command run alone: start serves it below.
  execFileSync(process.execPath, [cli, 'demo', demo], { stdio: ['ignore', 'ignore', 'inherit'] });
}

const forge = spawn(process.execPath, [cli, 'serve', '--repo', `demo=${demo}`, '--port', port], { stdio: ['ignore', 'pipe', 'pipe'] });
let url;
let busy = false;
createInterface({ input: forge.stderr }).on('line', (line) => {
  if (/already in use/.test(line)) busy = true;
  console.error(line);
});
createInterface({ input: forge.stdout }).on('line', (line) => {
  const ready = url === undefined && /at (http:\/\/\S+)/.exec(line);
  if (!ready) return console.log(line);
  void answers(ready[1]).then((ok) => {
    if (!ok) return stop('SIGTERM');
    url = ready[1].replace('127.0.0.1', 'localhost');
    console.log(line);
    console.log(`console: ${url}/ (the web console, in a browser)`);
    opened();
  });
});
forge.on('exit', (code, signal) => {
  if (url === undefined && busy) {
    console.error(`start: port ${port} is already in use (another forge, or an earlier npm start?). Stop it, or pick another port: PROMPTFORGE_PORT=7071 npm start`);
  } else {
    console.log(`start: the forge stopped (${code ?? signal})`);
  }
  process.exit(code ?? (url === undefined ? 1 : 0));
});

// npm forwards SIGINT and SIGTERM to the shell that runs this script, and that shell exits
// without passing them on; a closed terminal sends SIGHUP. Each stops the forge first.
const stop = (signal) => {
  if (forge.exitCode === null && forge.signalCode === null) forge.kill(signal);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal));
// When npm's shell is gone this script is re-parented: then nobody would stop the forge.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && stop('SIGTERM'), 500).unref();

/** The forge printed its URL once it listened; it is ready when /healthz answers. */
async function answers(base) {
  try {
    const res = await fetch(`${base}/healthz`);
    return res.ok;
  } catch {
    return false;
  }
}

function opened() {
  const editor = process.env.PROMPTFORGE_NO_EDITOR !== '1' && onPath('code');
  if (editor) {
    spawn('code', [`--extensionDevelopmentPath=${root}`, workspace], { stdio: 'inherit', detached: true }).unref();
    console.log(`start: opening VS Code on ${workspace}; the forge serves ${url} until Ctrl-C`);
  } else {
    console.log(`
start: the forge serves ${url} (Ctrl-C stops it).
${process.env.PROMPTFORGE_NO_EDITOR === '1' ? '' : '`code` is not on PATH. '}Open the demo in VS Code with the extension loaded:

  code --extensionDevelopmentPath=${root} ${workspace}
${codeServerHint()}`);
  }
}

function onPath(cmd) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
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

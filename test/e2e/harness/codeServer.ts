// Installs code-server 4.100.3 (a real VS Code served to a browser) into a cache
// folder outside the repository, once. The package's own postinstall needs the
// internet (it downloads ripgrep and Node headers), so its steps are done here
// by hand from the npm registry and Debian only. A marker file makes later runs
// cost a stat.
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
const MARKER = `.promptforge-ready-${CODE_SERVER_VERSION}-1`;
/** Debian packages the e2e needs: native module headers, the search tool, the browser. */
export const APT_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'libx11-dev', 'build-essential', 'python3'];
const NATIVE_MODULES = ['kerberos', '@vscode/spdlog', 'node-pty', 'native-watchdog', '@vscode/deviceid'];

export function cacheDir(): string {
  return process.env.PROMPTFORGE_E2E_CACHE ?? join(homedir(), '.cache', 'promptforge-e2e');
}

export function codeServerRoot(): string {
  return join(cacheDir(), 'code-server-' + CODE_SERVER_VERSION, 'node_modules', 'code-server');
}

/** The JavaScript entry that starts code-server (run it with `node`). */
export function codeServerEntry(): string {
  return join(codeServerRoot(), 'out', 'node', 'entry.js');
}

export function isCodeServerReady(): boolean {
  return existsSync(join(codeServerRoot(), MARKER));
}

function which(cmd: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Installs missing Debian packages when running as root; otherwise names them. */
export function ensureAptPackages(log: (line: string) => void): void {
  const missing = APT_PACKAGES.filter((p) => {
    try {
      const status = execFileSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      return !status.includes('install ok installed');
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`the e2e suite needs these Debian packages: ${missing.join(' ')} (run: sudo apt-get install -y ${missing.join(' ')})`);
  }
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
}

/** Makes sure code-server is installed in the cache; returns its entry script. */
export function ensureCodeServer(log: (line: string) => void = (l) => console.log(l)): string {
  if (isCodeServerReady()) return codeServerEntry();
  ensureAptPackages(log);
  const started = Date.now();
  const prefix = join(cacheDir(), 'code-server-' + CODE_SERVER_VERSION);
  mkdirSync(prefix, { recursive: true });
  const nodedir = execFileSync('npm', ['config', 'get', 'nodedir'], { encoding: 'utf8' }).trim();
  const nodeDirArgs = nodedir && nodedir !== 'undefined' ? [`--nodedir=${nodedir}`] : [];
  // argon2's installer would download a prebuilt binary; building it needs only the headers.
  const env = { ...process.env, npm_config_build_from_source: 'true', npm_config_update_notifier: 'false' };
  const run = (cmd: string, args: string[], cwd: string) => {
    log(`[code-server setup] ${cwd}: ${cmd} ${args.join(' ')}`);
    const options: ExecFileSyncOptions = { cwd, stdio: ['ignore', 'inherit', 'inherit'], env };
    execFileSync(cmd, args, options);
  };
  const npmQuiet = ['--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'];

  if (!existsSync(join(prefix, 'package.json'))) writeFileSync(join(prefix, 'package.json'), '{ "private": true }\n');
  run('npm', ['install', `code-server@${CODE_SERVER_VERSION}`, ...npmQuiet], prefix);
  const root = codeServerRoot();
  const vscodeDir = join(root, 'lib', 'vscode');
  run('npm', ['install', '--omit=dev', ...npmQuiet], vscodeDir);
  run('npm', ['install', '--omit=dev', ...npmQuiet], join(vscodeDir, 'extensions'));

  const nodeGyp = join(execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim(), 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  for (const mod of NATIVE_MODULES) {
    run(process.execPath, [nodeGyp, 'rebuild', '--loglevel=warn', ...nodeDirArgs], join(vscodeDir, 'node_modules', mod));
  }
  run('npm', ['rebuild', 'argon2', ...nodeDirArgs, '--loglevel=error'], prefix);

  // The ripgrep package would download its binary; Debian's works the same.
  const rg = which('rg');
  if (!rg) throw new Error('ripgrep (rg) is not on PATH; install the Debian package "ripgrep"');
  const rgTarget = join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgTarget, { recursive: true });
  copyFileSync(rg, join(rgTarget, 'rg'));
  chmodSync(join(rgTarget, 'rg'), 0o755);

  // What code-server's postinstall.sh links.
  const link = (target: string, path: string) => {
    rmSync(path, { force: true });
    symlinkSync(target, path);
  };
  link('node_modules', join(vscodeDir, 'node_modules.asar'));
  link('code-linux.sh', join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
  link('browser-linux.sh', join(vscodeDir, 'bin', 'helpers', 'browser.sh'));

  writeFileSync(join(root, MARKER), new Date().toISOString() + '\n');
  log(`[code-server setup] ready in ${((Date.now() - started) / 1000).toFixed(0)} s at ${root}`);
  return codeServerEntry();
}

/** Debian's Chromium, which playwright-core drives. */
export function chromiumPath(): string {
  const path = which('chromium');
  if (!path) throw new Error('chromium is not on PATH; install the Debian package "chromium"');
  return path;
}

if (process.argv[1] && /codeServer\.ts$/.test(process.argv[1])) {
  ensureCodeServer();
}

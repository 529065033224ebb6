/**
 * A real forge process for API tests: `node dist/forge/cli.js serve … --port 0`, ready
 * once it prints its URL. Also builds the demo repository with the real CLI.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CLI = resolve(__dirname, '../../dist/forge/cli.js');

export interface ForgeProcess {
  url: string;
  proc: ChildProcess;
  /** Everything the forge wrote to stderr so far. */
  stderr(): string;
  /** Resolves once stderr matches `pattern` (at once if it already does). */
  stderrMatching(pattern: RegExp): Promise<RegExpExecArray>;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export function tempDir(prefix = 'pf-api-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { code: number; stdout: string; stderr: string } {
  const out = spawnSync(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: out.status ?? 1, stdout: out.stdout, stderr: out.stderr };
}

let demoTemplate: string | undefined;

/**
 * A fresh demo repository in `dir/demo`. The real `promptforge demo` runs once per test
 * process (it makes some thirty commits); every caller gets its own copy of that result.
 */
export function makeDemo(dir: string): string {
  const repo = join(dir, 'demo');
  if (!demoTemplate) {
    const holder = mkdtempSync(join(tmpdir(), 'pf-demo-template-'));
    process.once('exit', () => rmSync(holder, { recursive: true, force: true }));
    const out = runCli(['demo', join(holder, 'demo')]);
    if (out.code !== 0) throw new Error(`promptforge demo failed: ${out.stderr}`);
    demoTemplate = join(holder, 'demo');
  }
  cpSync(demoTemplate, repo, { recursive: true });
  return repo;
}

export function startForge(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ForgeProcess> {
  const proc = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /at (http:\/\/\S+)/.exec(out);
      if (match) {
        proc.stdout!.removeAllListeners('data');
        proc.stdout!.resume();
        resolve({
          url: match[1],
          proc,
          stderr: () => err,
          stderrMatching: (pattern) =>
            new Promise((found) => {
              const check = () => {
                const match = pattern.exec(err);
                if (match) {
                  proc.stderr!.off('data', check);
                  found(match);
                }
              };
              proc.stderr!.on('data', check);
              check();
            }),
          stop: () => {
            if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`forge exited (${code}) before listening: ${err}`)));
  });
}

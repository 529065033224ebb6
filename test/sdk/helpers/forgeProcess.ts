/**
 * A real forge for tests and benchmarks: the built CLI (`dist/forge/cli.js`) serving
 * repos on an ephemeral port, and its `demo` command for a repo with real history.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const cli = resolve(__dirname, '../../../dist/forge/cli.js');

/** Makes the demo prompt repo (history, releases, labels) in a new temp folder. */
export function makeDemoRepo(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'pf-sdk-demo-')), 'demo');
  execFileSync(process.execPath, [cli, 'demo', dir], { stdio: 'pipe' });
  return dir;
}

export class ForgeProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  /** Serves `repos` (name → folder) and resolves once the forge prints where it listens. */
  static start(repos: Record<string, string>): Promise<ForgeProcess> {
    const args = [cli, 'serve', '--port', '0', '--host', '127.0.0.1', ...Object.entries(repos).flatMap(([name, dir]) => ['--repo', `${name}=${dir}`])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    return new Promise((resolveStart, reject) => {
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /https?:\/\/[^\s/]+/.exec(output);
        if (match) {
          child.stdout!.off('data', onData);
          child.stdout!.resume();
          child.stderr!.resume();
          resolveStart(new ForgeProcess(child, match[0].replace('localhost', '127.0.0.1')));
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`forge exited (${code}) before listening:\n${output}`)));
    });
  }

  /** Kills the forge the hard way, as a crash or an OOM kill would. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }

  /** Freezes the forge: connections stay open but nothing answers, like a stuck server. */
  pause(): void {
    this.child.kill('SIGSTOP');
  }

  resume(): void {
    this.child.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    this.resume();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

// A real forge for the e2e suite: the built CLI creates the demo repository and
// serves it on an ephemeral port.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { startProcess, type Started } from './processes';

const cli = resolve(__dirname, '../../../dist/forge/cli.js');

export class Forge {
  private constructor(private readonly process: Started, readonly url: string) {}

  /** Creates the demo repository in `dir`/demo and serves it as repo `demo`. */
  static async demo(dir: string): Promise<Forge> {
    const repo = join(dir, 'demo');
    execFileSync(process.execPath, [cli, 'demo', repo], { stdio: 'pipe' });
    const started = await startProcess(process.execPath, [cli, 'serve', '--port', '0', '--host', '127.0.0.1', '--repo', `demo=${repo}`], /(https?:\/\/[^\s/]+)/);
    return new Forge(started, started.ready[1].replace('localhost', '127.0.0.1'));
  }

  async get<T>(path: string): Promise<T> {
    const response = await fetch(this.url + path);
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}

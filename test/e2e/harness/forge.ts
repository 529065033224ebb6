// A real forge for the e2e suite: the built CLI creates the demo repository and
// serves it on an ephemeral port.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startProcess, type Started } from './processes';

const cli = resolve(__dirname, '../../../dist/forge/cli.js');

export class Forge {
  private constructor(
    private readonly process: Started,
    readonly url: string,
    private readonly repo: string,
  ) {}

  /** Creates the demo repository in `dir`/demo and serves it as repo `demo`, reviewing with `llmUrl`. */
  static async demo(dir: string, options: { llmUrl?: string } = {}): Promise<Forge> {
    const repo = join(dir, 'demo');
    execFileSync(process.execPath, [cli, 'demo', repo], { stdio: 'pipe' });
    const args = [cli, 'serve', '--port', '0', '--host', '127.0.0.1', '--repo', `demo=${repo}`, '--usage-db', ':memory:'];
    if (options.llmUrl) {
      const config = join(dir, 'forge.yaml');
      writeFileSync(config, `llm:\n  url: ${options.llmUrl}\n  model: stub-reviewer\n`);
      args.push('--config', config);
    }
    const started = await startProcess(process.execPath, args, /(https?:\/\/[^\s/]+)/);
    return new Forge(started, started.ready[1].replace('localhost', '127.0.0.1'), repo);
  }

  async get<T>(path: string): Promise<T> {
    const response = await fetch(this.url + path);
    if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** Runs git in the served repository. */
  git(...args: string[]): string {
    return execFileSync('git', ['-C', this.repo, ...args], { encoding: 'utf8' }).trim();
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Runs the worked example of docs/experiments.md (the ```sh example block) with the built
 * CLI, one command per line, in a fresh folder; then checks what it claims happened.
 */
const CLI = resolve(__dirname, '../../dist/forge/cli.js');
const doc = readFileSync(join(__dirname, '../../docs/experiments.md'), 'utf8');

function shellWords(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

describe('docs/experiments.md worked example', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'pf-docs-exp-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every command of the example, and ends with production on the variant', () => {
    const block = /```sh example\n([\s\S]*?)\n```/.exec(doc);
    assert.ok(block, 'the example block is missing');
    const commands = block[1].split('\n').filter((l) => l.trim());
    assert.ok(commands.length >= 5);
    const outputs: string[] = [];
    for (const line of commands) {
      const [program, ...args] = shellWords(line);
      assert.equal(program, 'promptforge', line);
      outputs.push(execFileSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    }
    const git = (...args: string[]) => execFileSync('git', ['-C', join(dir, 'prompts'), ...args], { encoding: 'utf8' }).trim();
    const status = outputs[3];
    assert.match(status, /welcome\/production: running .* coverage 50%/);
    assert.match(status, /v1 +[0-9a-f]{12} +10%/);
    assert.match(status, /start +by .* — shorter greeting/);
    assert.deepEqual(git('log', '--format=%s', 'refs/promptforge/experiments/welcome/production').split('\n'), [
      'welcome/production: conclude — beats the control',
      'welcome/production: ramp — no harm after a day',
      'welcome/production: start — shorter greeting',
    ]);
    const experiment = JSON.parse(git('show', 'refs/promptforge/experiments/welcome/production:experiment.json'));
    assert.equal(git('rev-parse', 'refs/labels/welcome/production'), experiment.variants[0].sha);
    assert.deepEqual(experiment.guardrails, [{ metric: 'successRate', maxDrop: 0.05 }, { metric: 'latencyP95', maxRise: 0.2 }]);
  });
});

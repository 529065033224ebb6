/** `promptforge experiment` against a local repository and a running forge. */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { makeDemo, runCli, startForge, tempDir, type ForgeProcess } from './apiServer';

describe('promptforge experiment', function () {
  this.timeout(60_000);
  const tmp = tempDir('pf-cli-exp-');
  let repo: string;
  let forge: ForgeProcess | undefined;
  before(() => {
    repo = makeDemo(tmp.dir);
  });
  after(async () => {
    await forge?.stop();
    tmp.cleanup();
  });

  it('refuses wrong use with exit 2 before touching anything', () => {
    for (const [args, message] of [
      [['experiment', 'begin', 'welcome', 'production'], /one of start, status, ramp, stop/],
      [['experiment', 'start', 'welcome', 'production'], /at least one --variant/],
      [['experiment', 'start', 'welcome', 'production', '--variant', 'HEAD'], /SPEC:PCT/],
      [['experiment', 'start', 'welcome', 'production', '--variant', 'HEAD:120'], /not a percentage/],
      [['experiment', 'start', 'welcome', 'production', '--variant', 'HEAD:10', '--guardrail', 'cost:1'], /successRate or latencyP95/],
      [['experiment', 'ramp', 'welcome', 'production'], /--coverage/],
    ] as const) {
      const out = runCli([...args, '--repo', repo]);
      assert.equal(out.code, 2, `${args.join(' ')}: ${out.stderr}`);
      assert.match(out.stderr, message);
    }
  });

  it('starts, ramps, shows and stops an experiment in a local repository, kept in git', () => {
    const start = runCli(['experiment', 'start', 'welcome', 'production', '--variant', 'staging:10', '--guardrail', 'successRate:0.05', '--coverage', '20', '--reason', 'try the beta', '--as', 'ada', '--repo', repo]);
    assert.equal(start.code, 0, start.stderr);
    assert.match(start.stdout, /welcome production: experiment started \(welcome\.production\.[0-9a-f]{8}\): v1 staging \([0-9a-f]{12}\) 10%, coverage 20%/);
    const same = runCli(['experiment', 'start', 'welcome', 'production', '--variant', 'production:10', '--repo', repo]);
    assert.equal(same.code, 1);
    assert.match(same.stderr, /variant_is_control|label's own version/);
    assert.equal(runCli(['experiment', 'ramp', 'welcome', 'production', '--coverage', '50', '--repo', repo]).code, 0);
    const status = runCli(['experiment', 'status', 'welcome', 'production', '--repo', repo]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /welcome\/production: running .* coverage 50%/);
    assert.match(status.stdout, /ramp +by /);
    assert.match(status.stdout, /start +by ada — try the beta/);
    const json = JSON.parse(runCli(['experiment', 'status', 'welcome', 'production', '--json', '--repo', repo]).stdout);
    assert.equal(json.experiment.variants[0].weight, 0.1);
    assert.deepEqual(json.experiment.guardrails, [{ metric: 'successRate', maxDrop: 0.05 }]);
    const stop = runCli(['experiment', 'stop', 'welcome', 'production', '--reason', 'done', '--repo', repo]);
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(stop.stdout, /experiment stopped/);
    const log = execFileSync('git', ['-C', repo, 'log', '--format=%s', 'refs/promptforge/experiments/welcome/production'], { encoding: 'utf8' });
    assert.deepEqual(log.trim().split('\n'), ['welcome/production: stop — done', 'welcome/production: ramp', 'welcome/production: start — try the beta']);
  });

  it('runs against a forge with --url: results in status, stop --promote moves the label', async () => {
    forge = await startForge(['--repo', `demo=${repo}`]);
    const on = ['--url', forge.url, '--repo', 'demo'];
    assert.equal(runCli(['experiment', 'start', 'welcome', 'production', '--variant', 'HEAD:25', ...on]).code, 0);
    const status = runCli(['experiment', 'status', 'welcome', 'production', ...on]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /control .* 75%/);
    assert.match(status.stdout, /sample ratio ok/);
    const head = execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const stop = runCli(['experiment', 'stop', 'welcome', 'production', '--promote', 'v1', ...on]);
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(stop.stdout, /production → [0-9a-f]{12}/);
    const label = execFileSync('git', ['-C', repo, 'rev-parse', 'refs/labels/welcome/production'], { encoding: 'utf8' }).trim();
    const resolved = execFileSync('git', ['-C', repo, 'log', '-1', '--format=%H', head, '--', 'welcome.prompt', 'signature.prompt'], { encoding: 'utf8' }).trim();
    assert.equal(label, resolved);
    const again = runCli(['experiment', 'stop', 'welcome', 'production', ...on]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /\(experiment_not_found\)/);
  });
});

/** Experiments through a real forge process: definitions in git, CAS, bad input, assignment on resolve, results, conclude. */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { assign, assigner } from '../../core/experiments';
import { openEvents, type EventReader } from './apiEvents';
import { makeDemo, startForge, tempDir, type ForgeProcess } from './apiServer';

async function call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('experiments over the HTTP API', function () {
  this.timeout(30_000);
  const tmp = tempDir('pf-exp-api-');
  let repo: string;
  let forge: ForgeProcess;
  let events: EventReader;
  let production: string;
  let staging: string;
  const api = (method: string, path: string, body?: unknown) => call(forge.url, method, path, body);
  const EXP = '/api/v1/repos/demo/prompts/welcome/experiments/production';
  const resolveAs = async (unit?: string) =>
    (await api('GET', `/api/v1/resolve?uri=${encodeURIComponent('prompt://localhost/demo/welcome/production?app_name=Acme')}${unit === undefined ? '' : `&unit=${encodeURIComponent(unit)}`}`)).body;
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();

  before(async () => {
    repo = makeDemo(tmp.dir);
    forge = await startForge(['--repo', `demo=${repo}`]);
    events = await openEvents(forge.url);
    production = (await resolveAs()).sha;
    staging = (await api('GET', `/api/v1/resolve?uri=${encodeURIComponent('prompt://localhost/demo/welcome/staging?app_name=Acme')}`)).body.sha;
  });
  after(async () => {
    events?.close();
    await forge?.stop();
    tmp.cleanup();
  });

  it('refuses bad definitions with a clear 4xx and writes nothing', async () => {
    const cases: [string, unknown, number, string][] = [
      ['welcome/production', { variants: [{ version: 'staging', weight: 0.6 }, { version: 'HEAD~1', weight: 0.5 }] }, 400, 'invalid_weights'],
      ['welcome/production', { variants: [{ version: 'staging', weight: 0.1 }], coverage: 2 }, 400, 'invalid_coverage'],
      ['welcome/production', { variants: [{ version: 'no-such-version', weight: 0.1 }] }, 404, 'version_not_found'],
      ['welcome/production', { variants: [{ version: '1.1.0', weight: 0.1 }] }, 400, 'variant_is_control'],
      ['welcome/production', { variants: [{ version: 'staging', weight: 0.1 }], guardrails: [{ metric: 'successRate', maxDrop: 'lots' }] }, 400, 'invalid_guardrail'],
      ['welcome/nightly', { variants: [{ version: 'staging', weight: 0.1 }] }, 404, 'label_not_found'],
      ['nothing/production', { variants: [{ version: 'staging', weight: 0.1 }] }, 404, 'prompt_not_found'],
    ];
    for (const [where, body, status, code] of cases) {
      const [id, label] = where.split('/');
      const res = await api('PUT', `/api/v1/repos/demo/prompts/${id}/experiments/${label}`, body);
      assert.equal(res.status, status, `${where} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, code);
      assert.ok(res.body.error.message.length > 20);
    }
    assert.equal(git('for-each-ref', 'refs/promptforge/experiments/'), '', 'nothing half-written');
    assert.equal((await api('GET', EXP)).body.error.code, 'experiment_not_found');
  });

  it('starts an experiment kept in git, announced on the event stream and carried by resolves', async () => {
    const started = await api('PUT', EXP, { variants: [{ version: 'staging', weight: 0.5 }], seed: 'api-test', guardrails: [{ metric: 'successRate', maxDrop: 0.05 }], minCalls: 50, reason: 'try the beta greeting' });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    assert.equal(started.body.action, 'start');
    const exp = started.body.experiment;
    assert.deepEqual([exp.control, exp.variants[0].sha, exp.variants[0].name, exp.coverage, exp.status], [production, staging, 'v1', 1, 'running']);
    assert.equal(git('rev-parse', 'refs/promptforge/experiments/welcome/production'), started.body.tip);
    assert.equal(JSON.parse(git('show', `${started.body.tip}:experiment.json`)).key, exp.key);
    assert.equal(git('log', '-1', '--format=%s', started.body.tip), 'welcome/production: start — try the beta greeting');

    const event = await events.next((e) => e.event === 'experiment');
    assert.equal((event.data.experiment as any).key, exp.key);

    const plain = await resolveAs();
    assert.equal(plain.sha, production);
    assert.equal(plain.experiment.key, exp.key);
    assert.equal(plain.assignment, undefined);

    // The forge assigns like core (GrowthBook v2): find one unit of each arm.
    const a = assigner('api-test', [0.5], 1);
    const units = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8'];
    const inVariant = units.find((u) => assign(a, u) === 1)!;
    const inControl = units.find((u) => assign(a, u) === 0)!;
    const v = await resolveAs(inVariant);
    assert.deepEqual([v.sha, v.assignment.variant, v.assignment.experiment], [staging, 'v1', exp.key]);
    assert.match(v.text, /Acme/);
    const c = await resolveAs(inControl);
    assert.deepEqual([c.sha, c.assignment.variant], [production, 'control']);
  });

  it('ramps by compare-and-swap: a stale writer gets 409, the right one a ramp in the history', async () => {
    const { body } = await api('GET', EXP);
    const stale = await api('PUT', EXP, { coverage: 0.5, expected: '0'.repeat(40) });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'experiment_conflict');
    const ramp = await api('PUT', EXP, { coverage: 0.5, expected: body.tip, reason: 'no harm so far' });
    assert.equal(ramp.status, 200);
    assert.equal(ramp.body.action, 'ramp');
    assert.equal(ramp.body.experiment.seed, 'api-test');
    const after = await api('GET', EXP);
    assert.deepEqual(after.body.history.map((h: any) => [h.action, h.reason]), [['ramp', 'no harm so far'], ['start', 'try the beta greeting']]);
  });

  it('shows live results per variant from usage that carries experiment and variant', async () => {
    const { body } = await api('GET', EXP);
    const key = body.experiment.key;
    const at = new Date().toISOString();
    const ev = (sha: string, variant: string, success: boolean, latencyMs: number) => ({ repo: 'demo', id: 'welcome', sha, experiment: key, variant, success, latencyMs, inputTokens: 10, outputTokens: 20, feedback: success ? 1 : -1, at });
    const batch = [
      ...Array.from({ length: 30 }, (_, i) => ev(production, 'control', i % 10 !== 0, 100 + i)),
      ...Array.from({ length: 30 }, (_, i) => ev(staging, 'v1', i % 5 !== 0, 200 + i)),
    ];
    const posted = await api('POST', '/api/v1/usage', { events: [...batch, { ...ev(staging, 'v1', true, 1), experiment: undefined }] });
    assert.equal(posted.body.accepted, 60);
    assert.equal(posted.body.rejected[0].code, 'invalid_experiment');
    const { body: r } = await api('GET', EXP);
    const [control, v1] = r.results.variants;
    assert.deepEqual([control.name, control.calls, control.successRate, v1.name, v1.calls, v1.successRate], ['control', 30, 0.9, 'v1', 30, 0.8]);
    assert.equal(control.latencyP50, 114);
    assert.equal(v1.latencyP95, 228);
    assert.equal(v1.inputTokens, 300);
    assert.ok(v1.chanceToBeatControl > 0 && v1.chanceToBeatControl < 0.5);
    assert.ok(v1.lift.low < v1.lift.lift && v1.lift.lift < v1.lift.high);
    assert.equal(r.results.srm.mismatch, false);
    assert.equal(r.results.guardrails[0].breached, false, 'fewer than minCalls');
  });

  it('concludes by promoting the variant in one label move, and resolves stop carrying the experiment', async () => {
    const missing = await api('DELETE', EXP, { promote: 'v9' });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'variant_not_found');
    const labelBefore = git('rev-parse', 'refs/labels/welcome/production');
    const done = await api('DELETE', EXP, { promote: 'v1', reason: 'beta greets better' });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.action, 'conclude');
    assert.deepEqual([done.body.promoted.from, done.body.promoted.to], [labelBefore, staging]);
    assert.equal(git('rev-parse', 'refs/labels/welcome/production'), staging);
    const stopped = await events.next((e) => e.event === 'experiment.stopped');
    assert.equal((stopped.data.experiment as any).status, 'stopped');
    const after = await resolveAs('anyone');
    assert.equal(after.sha, staging);
    assert.equal(after.experiment, undefined);
    const again = await api('DELETE', EXP);
    assert.equal(again.status, 404);
    assert.equal(again.body.error.code, 'experiment_not_found');
    const { body } = await api('GET', EXP);
    assert.equal(body.history[0].action, 'conclude');
    assert.equal(body.history[0].promoted.variant, 'v1');
  });
});

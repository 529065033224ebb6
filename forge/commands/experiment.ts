/**
 * `promptforge experiment start|status|ramp|stop`: experiments on a label (DESIGN §7),
 * on a running forge (`--url`) or on a local repository. Percentages on the command
 * line (`--variant HEAD:10`, `--coverage 50`) are shares of 0–1 in the API.
 */
import { experimentResults, type Experiment, type ExperimentResults, type Guardrail } from '../../core/experiments';
import { ExperimentStore, type ExperimentChange } from '../store/experiments';
import { UsageError, list, str, type Command, type Values } from './command';
import { callForge, localStore, openTarget, remoteRepo, targetHelp, targetOptions, type Target } from './target';

const ACTIONS = ['start', 'status', 'ramp', 'stop'] as const;
type Action = (typeof ACTIONS)[number];

interface Status {
  experiment: Experiment;
  results?: ExperimentResults;
  history: ExperimentChange[];
}

export const experimentCommand: Command = {
  name: 'experiment',
  summary: 'send a share of a label\'s traffic to other versions, watch results, ramp, stop or promote',
  usage: 'promptforge experiment start|status|ramp|stop ID LABEL [options] [--repo NAME=PATH | --url URL --repo NAME]',
  help: `start ID LABEL --variant SPEC:PCT [--variant …] [--guardrail METRIC:LIMIT …] [--coverage PCT] [--min-calls N] [--seed S]
    Units keep getting LABEL's version (the control) except PCT% per variant, e.g.
    --variant HEAD:10 sends 10% of units to HEAD. Guardrails stop the experiment by
    itself: successRate:0.05 (success may not drop more than 5 points), latencyP95:0.2
    (p95 latency may not rise more than 20%), once --min-calls per variant are in.
status ID LABEL [--json]   the definition, results per variant (forge only) and history
ramp ID LABEL --coverage PCT
    Share of all units in the experiment; units already in it stay where they are.
stop ID LABEL [--promote VARIANT]
    Everyone gets the control again; --promote also moves LABEL to that variant.

  --reason TEXT             why, kept in the experiment's history
  --expected TIP            only if the experiment is still at this commit (else 409)
  --as NAME                 author in local mode (default: $USER)
${targetHelp}`,
  options: {
    ...targetOptions,
    variant: { type: 'string', multiple: true },
    guardrail: { type: 'string', multiple: true },
    coverage: { type: 'string' },
    'min-calls': { type: 'string' },
    seed: { type: 'string' },
    promote: { type: 'string' },
    reason: { type: 'string' },
    expected: { type: 'string' },
    json: { type: 'boolean' },
    as: { type: 'string' },
  },
  async run(values, positionals) {
    const [action, id, label, ...extra] = positionals;
    if (!ACTIONS.includes(action as Action)) throw new UsageError(`the first argument must be one of ${ACTIONS.join(', ')}, not ${action === undefined ? 'nothing' : `"${action}"`}`);
    if (id === undefined || label === undefined) throw new UsageError(`missing ${id === undefined ? 'ID LABEL' : 'LABEL'}`);
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const body = requestOf(action as Action, values);
    const target = await openTarget(values);
    try {
      if (action === 'status') {
        const status = await read(target, id, label);
        process.stdout.write(values.json ? JSON.stringify(status, null, 2) + '\n' : describe(status));
        return 0;
      }
      const answer = await write(target, action as Action, id, label, body, str(values, 'as'));
      const e = answer.experiment;
      const split = e.variants.map((v) => `${v.name} ${v.version} (${v.sha.slice(0, 12)}) ${pct(v.weight)}`).join(', ');
      const promoted = answer.promoted ? `; ${label} → ${(answer.promoted.to ?? '(deleted)').slice(0, 12)}` : '';
      process.stdout.write(`${id} ${label}: experiment ${answer.action === 'stop' || answer.action === 'conclude' ? 'stopped' : answer.action === 'start' ? 'started' : answer.action === 'ramp' ? 'ramped' : 'changed'} (${e.key}): ${split}, coverage ${pct(e.coverage)}${promoted}\n`);
      return 0;
    } finally {
      await target.close();
    }
  },
};

/** The API body for an action, checked for shape here so mistakes exit 2 before any I/O. */
function requestOf(action: Action, values: Values): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const reason = str(values, 'reason');
  const expected = str(values, 'expected');
  if (reason !== undefined) body.reason = reason;
  if (expected !== undefined) body.expected = expected;
  const coverage = str(values, 'coverage');
  if (coverage !== undefined) body.coverage = percent(coverage, '--coverage', true);
  if (action === 'start') {
    const variants = list(values, 'variant');
    if (variants.length === 0) throw new UsageError('start needs at least one --variant SPEC:PCT, e.g. --variant HEAD:10');
    body.variants = variants.map((v) => {
      const colon = v.lastIndexOf(':');
      if (colon <= 0) throw new UsageError(`--variant "${v}" must be SPEC:PCT, e.g. HEAD:10`);
      return { version: v.slice(0, colon), weight: percent(v.slice(colon + 1), `--variant ${v}`, false) };
    });
    body.guardrails = list(values, 'guardrail').map(guardrailOf);
    const minCalls = str(values, 'min-calls');
    if (minCalls !== undefined) {
      if (!/^\d+$/.test(minCalls)) throw new UsageError(`--min-calls must be a whole number, not "${minCalls}"`);
      body.minCalls = Number(minCalls);
    }
    const seed = str(values, 'seed');
    if (seed !== undefined) body.seed = seed;
  } else if (action === 'ramp' && coverage === undefined) {
    throw new UsageError('ramp needs --coverage PCT, e.g. --coverage 50');
  }
  if (action === 'stop') {
    const promote = str(values, 'promote');
    if (promote !== undefined) body.promote = promote;
  }
  return body;
}

function percent(text: string, flag: string, allowEnds: boolean): number {
  const n = Number(text.replace(/%$/, ''));
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100 || (!allowEnds && (n === 0 || n === 100))) {
    throw new UsageError(`${flag}: "${text}" is not a percentage ${allowEnds ? 'from 0 to 100' : 'above 0 and below 100'}`);
  }
  return Math.round(n * 1e6) / 1e8;
}

function guardrailOf(text: string): Guardrail {
  const [metric, limit] = text.split(':');
  const n = Number(limit);
  if (limit === undefined || limit === '' || !Number.isFinite(n)) throw new UsageError(`--guardrail "${text}" must be METRIC:LIMIT, e.g. successRate:0.05 or latencyP95:0.2`);
  if (metric === 'successRate') return { metric, maxDrop: n };
  if (metric === 'latencyP95') return { metric, maxRise: n };
  throw new UsageError(`--guardrail "${text}": the metric must be successRate or latencyP95`);
}

function path(target: Extract<Target, { kind: 'remote' }>, id: string, label: string): string {
  return `/api/v1/repos/${remoteRepo(target)}/prompts/${encodeURIComponent(id)}/experiments/${encodeURIComponent(label)}`;
}

interface WriteAnswer {
  action: string;
  experiment: Experiment;
  promoted?: { to: string | null };
}

async function write(target: Target, action: Action, id: string, label: string, body: Record<string, unknown>, as: string | undefined): Promise<WriteAnswer> {
  if (target.kind === 'remote') {
    const { promote, reason, expected, ...definition } = body;
    const url = path(target, id, label);
    return (action === 'stop' ? await callForge(target, 'DELETE', url, { promote, reason, expected }) : await callForge(target, 'PUT', url, { ...definition, reason, expected })) as WriteAnswer;
  }
  const experiments = await ExperimentStore.open(localStore(target));
  const actor = { name: as ?? process.env.USER ?? 'local' };
  const { reason, expected, promote, ...definition } = body as { reason?: string; expected?: string; promote?: string };
  if (action === 'stop') {
    const out = await experiments.stop(id, label, actor, { reason: reason ?? null, ...(expected !== undefined ? { expected } : {}), ...(promote !== undefined ? { promote } : {}) });
    return { action: out.promoted ? 'conclude' : 'stop', experiment: out.experiment, ...(out.promoted ? { promoted: out.promoted } : {}) };
  }
  return experiments.put(id, label, definition, actor, expected, reason ?? null);
}

async function read(target: Target, id: string, label: string): Promise<Status> {
  if (target.kind === 'remote') return (await callForge(target, 'GET', path(target, id, label))) as Status;
  const experiments = await ExperimentStore.open(localStore(target));
  const found = experiments.get(id, label);
  if (!found) throw new Error(`no experiment was ever run on "${id}/${label}" (experiment_not_found)`);
  // Usage lives with a forge; locally there are no results to show.
  return { experiment: found.experiment, history: await experiments.history(id, label) };
}

function describe({ experiment: e, results, history }: Status): string {
  const lines = [`${e.id}/${e.label}: ${e.status} (${e.key}), coverage ${pct(e.coverage)}, started ${e.startedAt}`];
  const shown = results ?? experimentResults(e, new Map());
  lines.push('  variant      version       weight   calls  success   p50 ms   p95 ms  beats control  lift (95%)');
  for (const v of shown.variants) {
    const lift = v.lift ? `${signed(v.lift.lift)} [${signed(v.lift.low)}, ${signed(v.lift.high)}]` : '';
    lines.push(
      `  ${v.name.padEnd(12)} ${v.sha.slice(0, 12).padEnd(12)} ${pct(v.weight).padStart(7)} ${String(v.calls).padStart(7)} ${rate(v.successRate).padStart(8)} ${num(v.latencyP50).padStart(8)} ${num(v.latencyP95).padStart(8)} ${(v.chanceToBeatControl === null ? '' : pct(v.chanceToBeatControl)).padStart(14)}  ${lift}`,
    );
  }
  if (results) {
    lines.push(results.srm.mismatch ? `  sample ratio MISMATCH (p = ${results.srm.pValue.toExponential(2)}): the split does not match the weights; do not trust these results` : `  sample ratio ok (p = ${results.srm.pValue.toFixed(3)})`);
    for (const g of results.guardrails) lines.push(`  guardrail ${g.metric} on ${g.variant}: P(harm) ${g.probability.toFixed(3)}${g.breached ? ' — BREACHED' : ''}`);
  } else {
    lines.push('  (results need a forge: pass --url)');
  }
  lines.push('history:');
  for (const h of history) lines.push(`  ${h.at}  ${h.action.padEnd(9)} by ${h.by}${h.reason ? ` — ${h.reason}` : ''}`);
  return lines.join('\n') + '\n';
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
const rate = (x: number | null) => (x === null ? '—' : pct(x));
const num = (x: number | null) => (x === null ? '—' : String(Math.round(x)));
const signed = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

/**
 * Experiments on labels (DESIGN §7), kept in git beside the prompts: one ref per label,
 * `refs/promptforge/experiments/ID/LABEL`, pointing at a commit whose tree holds the
 * current definition (`experiment.json`) and every change so far (`history.jsonl`,
 * oldest first: start, ramp, stop, auto-stop, conclude, with who, why and figures).
 * Each change is a new commit on that ref moved by compare-and-swap (`update-ref NEW
 * OLD`), so two writers cannot both win and the history travels with `git push`.
 * Definitions are kept in memory: assignment and resolves never wait on git.
 */
import { randomBytes } from 'node:crypto';
import {
  checkVariantsAgainstControl,
  validateExperimentRequest,
  wireOf,
  type Experiment,
  type ExperimentWire,
} from '../../core/experiments';
import { StoreError } from './errors';
import { commitTree, hashObject, updateRefs } from './git/plumbing';
import { ZERO_SHA } from './git/refs';
import { gitText, runGit } from './git/run';
import { validateLabel, validatePromptId } from './names';
import type { PromptStore } from './store';
import type { Actor, PromotionRecord } from './types';

export const EXPERIMENTS_PREFIX = 'refs/promptforge/experiments/';

export function experimentRef(id: string, label: string): string {
  return `${EXPERIMENTS_PREFIX}${id}/${label}`;
}

export type ExperimentAction = 'start' | 'change' | 'ramp' | 'stop' | 'auto-stop' | 'conclude';

export interface ExperimentChange {
  action: ExperimentAction;
  by: string;
  at: string;
  reason: string | null;
  /** The definition after the change. */
  experiment: Experiment;
  /** What the forge saw when it stopped an experiment by itself. */
  figures?: unknown;
  /** The label move of a conclusion. */
  promoted?: { variant: string; sha: string; from: string };
}

/** What a change tells listeners (the event stream). */
export interface ExperimentEvent {
  type: 'experiment' | 'experiment.stopped';
  repo: string;
  id: string;
  label: string;
  action: ExperimentAction;
  by: string;
  reason: string | null;
  experiment: ExperimentWire;
  figures?: unknown;
}

interface Current {
  experiment: Experiment;
  /** The ref's commit: the `expected` of the next change. */
  tip: string;
}

export interface StopOptions {
  reason?: string | null;
  /** The tip the caller last saw; a stale one is a 409. */
  expected?: string | null;
  /** Conclude: move the label to this variant in the same change. */
  promote?: string;
  auto?: boolean;
  figures?: unknown;
}

export class ExperimentStore {
  private readonly current = new Map<string, Current>();
  private readonly listeners = new Set<(e: ExperimentEvent) => void>();
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(private readonly store: PromptStore) {}

  /** Loads every experiment ref of the repository. */
  static async open(store: PromptStore): Promise<ExperimentStore> {
    const experiments = new ExperimentStore(store);
    const listed = await gitText(store.gitDir, ['for-each-ref', '--format=%(objectname) %(refname)', EXPERIMENTS_PREFIX]);
    for (const line of listed.split('\n')) {
      if (!line) continue;
      const [tip, ref] = line.split(' ');
      const experiment = await readJson<Experiment>(store.gitDir, `${tip}:experiment.json`).catch(() => null);
      if (experiment) experiments.current.set(ref, { experiment, tip });
    }
    return experiments;
  }

  on(fn: (e: ExperimentEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The label's experiment (running or the last one stopped) and the ref's tip. */
  get(id: string, label: string): Current | undefined {
    return this.current.get(experimentRef(id, label));
  }

  /** The running experiment on this label, for resolves and assignment. */
  running(id: string, label: string): Experiment | undefined {
    const found = this.current.get(experimentRef(id, label))?.experiment;
    return found?.status === 'running' ? found : undefined;
  }

  /** Every running experiment of the repository. */
  allRunning(): Experiment[] {
    return [...this.current.values()].map((c) => c.experiment).filter((e) => e.status === 'running');
  }

  async history(id: string, label: string): Promise<ExperimentChange[]> {
    const tip = this.get(validatePromptId(id), validateLabel(label))?.tip;
    if (!tip) return [];
    const text = await readText(this.store.gitDir, `${tip}:history.jsonl`);
    return text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as ExperimentChange)
      .reverse();
  }

  /**
   * Starts an experiment on a label, or changes the running one (a ramp when only the
   * coverage moved). Nothing is written unless the whole definition holds.
   */
  put(id: string, label: string, body: Record<string, unknown>, actor: Actor, expected: string | null | undefined, reason: string | null): Promise<{ experiment: Experiment; tip: string; action: ExperimentAction }> {
    return this.serialize(async () => {
      validatePromptId(id);
      validateLabel(label);
      const control = await this.labelTarget(id, label);
      const now = this.get(id, label);
      const previous = now?.experiment.status === 'running' ? now.experiment : undefined;
      const checked = validateExperimentRequest(body, previous);
      if (!checked.ok) throw new StoreError(checked.code, `experiment on "${id}/${label}": ${checked.message}`, undefined);
      const request = checked.value;
      const variants = [];
      for (const v of request.variants) {
        const resolved = await this.store.resolve(id, v.version).catch((error: unknown) => {
          if (error instanceof StoreError && error.status === 404) {
            throw new StoreError('version_not_found', `variant "${v.name}": ${error.message}`, { version: v.version });
          }
          throw error;
        });
        variants.push({ name: v.name, version: v.version, sha: resolved.sha, weight: v.weight });
      }
      const against = checkVariantsAgainstControl(control, variants);
      if (!against.ok) throw new StoreError(against.code, `experiment on "${id}/${label}": ${against.message}`, undefined);
      const at = new Date().toISOString();
      const key = previous?.key ?? `${id}.${label}.${randomBytes(4).toString('hex')}`;
      const experiment: Experiment = {
        key,
        repo: this.store.name,
        id,
        label,
        seed: request.seed ?? previous?.seed ?? key,
        coverage: request.coverage,
        status: 'running',
        variants,
        control,
        guardrails: request.guardrails,
        minCalls: request.minCalls,
        startedAt: previous?.startedAt ?? at,
        updatedAt: at,
      };
      const action: ExperimentAction = !previous ? 'start' : onlyCoverageMoved(previous, experiment) ? 'ramp' : 'change';
      const tip = await this.write(id, label, now?.tip ?? null, expected, { action, by: actor.name, at, reason, experiment }, actor);
      return { experiment, tip, action };
    });
  }

  /**
   * Stops the running experiment: all units get the control again. With `promote`, the
   * label also moves to that variant's version (one compare-and-swap on the label).
   */
  stop(id: string, label: string, actor: Actor, options: StopOptions = {}): Promise<{ experiment: Experiment; tip: string; promoted?: PromotionRecord }> {
    return this.serialize(async () => {
      validatePromptId(id);
      validateLabel(label);
      const now = this.get(id, label);
      if (!now || now.experiment.status !== 'running') {
        throw new StoreError('experiment_not_found', `no experiment is running on "${id}/${label}"${now ? ` (the last one stopped at ${now.experiment.updatedAt})` : ''}`, undefined);
      }
      if (options.expected !== undefined && options.expected !== now.tip) throw conflict(id, label, options.expected, now.tip);
      let promoted: PromotionRecord | undefined;
      if (options.promote !== undefined) {
        const variant = now.experiment.variants.find((v) => v.name === options.promote || v.sha === options.promote);
        if (!variant) {
          const names = now.experiment.variants.map((v) => `"${v.name}"`).join(', ');
          throw new StoreError('variant_not_found', `experiment on "${id}/${label}" has no variant "${options.promote}"; it has ${names}`, undefined);
        }
        const labelNow = this.store.listPrompts().find((p) => p.id === id)?.labels[label] ?? null;
        promoted = await this.store.promote(id, label, variant.sha, labelNow, actor);
      }
      const at = new Date().toISOString();
      const experiment: Experiment = { ...now.experiment, status: 'stopped', updatedAt: at };
      const action: ExperimentAction = options.auto ? 'auto-stop' : promoted ? 'conclude' : 'stop';
      const change: ExperimentChange = {
        action,
        by: actor.name,
        at,
        reason: options.reason ?? null,
        experiment,
        ...(options.figures !== undefined ? { figures: options.figures } : {}),
        ...(promoted ? { promoted: { variant: options.promote!, sha: promoted.to ?? '', from: promoted.from ?? '' } } : {}),
      };
      const tip = await this.write(id, label, now.tip, now.tip, change, actor);
      return { experiment, tip, ...(promoted ? { promoted } : {}) };
    });
  }

  /** The version the label points at now: the control. */
  private async labelTarget(id: string, label: string): Promise<string> {
    const resolved = await this.store.resolve(id, label).catch((error: unknown) => {
      if (error instanceof StoreError && (error.code === 'version_not_found' || error.code === 'invalid_version')) return null;
      throw error;
    });
    if (!resolved || resolved.kind !== 'label') {
      throw new StoreError('label_not_found', `prompt "${id}" has no label "${label}": promote a version to it first (an experiment splits a label's traffic)`, { id, label });
    }
    return resolved.sha;
  }

  private async write(id: string, label: string, tip: string | null, expected: string | null | undefined, change: ExperimentChange, actor: Actor): Promise<string> {
    if (expected !== undefined && expected !== tip) throw conflict(id, label, expected, tip);
    const gitDir = this.store.gitDir;
    const history = tip ? await readText(gitDir, `${tip}:history.jsonl`) : '';
    const [definition, lines] = await Promise.all([
      hashObject(gitDir, JSON.stringify(change.experiment, null, 2) + '\n'),
      hashObject(gitDir, history + JSON.stringify(change) + '\n'),
    ]);
    // The tree holds exactly these two files: one mktree, no temporary index (an
    // auto-stop is on the path from a breach to the control being served).
    const tree = await gitText(gitDir, ['mktree'], { input: `100644 blob ${definition}\texperiment.json\n100644 blob ${lines}\thistory.jsonl\n` });
    const message = `${id}/${label}: ${change.action}${change.reason ? ` — ${change.reason}` : ''}`;
    const commit = await commitTree(gitDir, tree, tip ? [tip] : [], message, actor);
    const ref = experimentRef(id, label);
    if (!(await updateRefs(gitDir, [{ ref, to: commit, from: tip ?? ZERO_SHA }], `promptforge: experiment ${change.action}`))) {
      // Someone else (another forge process, a push) moved it: reload so the next try sees theirs.
      const now = await gitText(gitDir, ['rev-parse', '--verify', '--quiet', ref]).catch(() => '');
      if (now) this.current.set(ref, { experiment: await readJson<Experiment>(gitDir, `${now}:experiment.json`), tip: now });
      throw conflict(id, label, tip, now || null);
    }
    this.current.set(ref, { experiment: change.experiment, tip: commit });
    this.emit(change);
    return commit;
  }

  private emit(change: ExperimentChange): void {
    const e = change.experiment;
    const event: ExperimentEvent = {
      type: e.status === 'running' ? 'experiment' : 'experiment.stopped',
      repo: e.repo,
      id: e.id,
      label: e.label,
      action: change.action,
      by: change.by,
      reason: change.reason,
      experiment: wireOf(e),
      ...(change.figures !== undefined ? { figures: change.figures } : {}),
    };
    for (const fn of this.listeners) {
      try {
        fn(event);
      } catch {
        // one listener's failure must not stop the others
      }
    }
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn);
    this.chain = run.catch(() => {});
    return run;
  }
}

function onlyCoverageMoved(a: Experiment, b: Experiment): boolean {
  return a.coverage !== b.coverage && JSON.stringify(a.variants) === JSON.stringify(b.variants) && JSON.stringify(a.guardrails) === JSON.stringify(b.guardrails) && a.minCalls === b.minCalls;
}

function conflict(id: string, label: string, expected: string | null, current: string | null): StoreError {
  return new StoreError('experiment_conflict', `the experiment on "${id}/${label}" was expected at ${expected ?? '(none)'} but is at ${current ?? '(none)'}; read it again and retry`, { expected, current });
}

async function readText(gitDir: string, object: string): Promise<string> {
  const { code, stdout } = await runGit(gitDir, ['cat-file', 'blob', object], { okCodes: [128] });
  return code === 0 ? stdout.toString('utf8') : '';
}

async function readJson<T>(gitDir: string, object: string): Promise<T> {
  return JSON.parse(await readText(gitDir, object)) as T;
}

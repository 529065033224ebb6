/**
 * The guardrail monitor: after usage for an experiment arrives, it re-reads that
 * experiment's totals and, once a guardrail is breached (both arms have `minCalls`,
 * ≥ 95% probability of harm), stops the experiment itself with the figures in the
 * history. Stopping emits `experiment.stopped` on the event stream, which SDKs follow:
 * every unit is back on the control within the stream's latency.
 * Checks run one at a time per experiment and coalesce: a burst of batches costs one
 * check after the one under way.
 */
import { checkGuardrails, describeBreach } from '../../core/experiments';
import type { ExperimentStore } from '../store/experiments';
import type { UsageSink } from '../usage/sink';

export const MONITOR_ACTOR = { name: 'promptforge-guardrails' };

export class GuardrailMonitor {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(
    private readonly experiments: Map<string, ExperimentStore>,
    private readonly usage: Pick<UsageSink, 'experimentTotals'>,
    private readonly log: (line: string) => void,
  ) {}

  /** Usage arrived for these experiment keys. */
  noteUsage(keys: Iterable<string>): void {
    for (const key of keys) {
      if (this.running.has(key)) {
        this.again.add(key);
        continue;
      }
      const run = this.check(key)
        .catch((error: Error) => this.log(`guardrail check of experiment ${key} failed: ${error.stack ?? error.message}`))
        .finally(() => {
          this.running.delete(key);
          if (this.again.delete(key)) this.noteUsage([key]);
        });
      this.running.set(key, run);
    }
  }

  /** Resolves when no check is under way (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running.values());
  }

  private async check(key: string): Promise<void> {
    for (const store of this.experiments.values()) {
      const experiment = store.allRunning().find((e) => e.key === key);
      if (!experiment || experiment.guardrails.length === 0) continue;
      if (!this.usage.experimentTotals) return; // a usage store that keeps no experiment figures
      const checks = checkGuardrails(experiment, await this.usage.experimentTotals(key));
      const breached = checks.filter((c) => c.breached);
      if (breached.length === 0) return;
      const reason = breached.map(describeBreach).join('; ');
      await store
        .stop(experiment.id, experiment.label, MONITOR_ACTOR, { auto: true, reason, figures: breached })
        .then(() => this.log(`experiment ${key} on ${experiment.repo}/${experiment.id}/${experiment.label} stopped: ${reason}`))
        .catch((error: { code?: string }) => {
          if (error.code !== 'experiment_not_found') throw error; // stopped by someone else meanwhile
        });
      return;
    }
  }
}

/**
 * The promotion gate: before a label moves, the forge reads the policy on the default
 * branch and the target version's test results, and refuses a move that does not meet
 * the label's rule (409 `gate_failed`, naming each unmet requirement). A policy that
 * does not parse refuses every move rather than letting one through unjudged.
 */
import { POLICY_PATH, parsePolicy, ruleFor, unmetRequirements, type Approval, type LabelRule } from '../../core/policy';
import { HttpError } from '../http/errors';
import type { PromptStore } from '../store';
import { TestResults } from '../testing/results';

/** The label's rule from the policy on the default branch, or 409 when the policy cannot be read. */
export async function labelRule(store: PromptStore, label: string): Promise<LabelRule | undefined> {
  const text = await store.readAt(`refs/heads/${store.defaultBranch()}`, POLICY_PATH);
  if (text === null) return undefined;
  const { policy, problems } = parsePolicy(text);
  const error = problems.find((p) => p.severity === 'error');
  if (error) {
    throw new HttpError('gate_failed', `${POLICY_PATH} does not parse, so no label may move until it is fixed: ${error.message}`, { unmet: [`policy: ${error.message}`] });
  }
  return ruleFor(policy, label);
}

/** Throws 409 `gate_failed` unless moving `label` of `id` to `sha` meets its rule. */
export async function enforceGate(store: PromptStore, id: string, label: string, sha: string, caller: Approval, approvals: Approval[] = [], viaRequest = false): Promise<void> {
  const rule = await labelRule(store, label);
  if (!rule?.protected) return;
  const run = new TestResults(store.gitDir).latest(id, sha);
  const tests = run && { passed: run.result.passed, failed: run.result.failed, failedNames: run.result.tests.filter((t) => !t.pass).map((t) => t.name) };
  const unmet = unmetRequirements(rule, { caller, tests, approvals, viaRequest });
  if (unmet.length > 0) {
    throw new HttpError('gate_failed', `"${label}" is protected; moving it to ${sha.slice(0, 12)} needs: ${unmet.join('; ')}`, { unmet });
  }
}

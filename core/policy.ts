/**
 * `.promptforge/policy.yaml`: which labels are protected and what moving one needs
 * (passing tests, approvals from named people or roles). Parsed and judged here,
 * pure, so the forge, `lint` and the editor agree on what a policy says.
 */
import { isMap, isNode, isScalar, parseDocument, type Pair } from 'yaml';
import { LineIndex, problem, type Problem, type Range } from './text';

export const POLICY_PATH = '.promptforge/policy.yaml';

import { ROLES, roleAllows, type Role } from './roles';

export { ROLES, roleAllows, type Role };

export interface LabelRule {
  /** A label name or a glob (`*` matches any run of characters). */
  pattern: string;
  protected: boolean;
  requires: {
    /** `pass`: the target version's suite must have run and passed. */
    tests?: 'pass';
    approvals: number;
    /** Key names, or `role:ROLE` for any key of that role or above; empty = anyone with the `approve` role. */
    approvers: string[];
  };
  range: Range;
}

export interface Policy {
  labels: LabelRule[];
}

export function parsePolicy(text: string): { policy: Policy; problems: Problem[] } {
  const policy: Policy = { labels: [] };
  const problems: Problem[] = [];
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const lines = new LineIndex(text);
    for (const e of doc.errors) {
      const start = Math.min(e.pos[0], text.length);
      const at = lines.position(start);
      problems.push(problem('invalid_policy', `Invalid YAML (line ${at.line + 1}, column ${at.character + 1}): ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, start, Math.min(Math.max(start + 1, e.pos[1]), text.length)));
    }
    return { policy, problems };
  }
  const rangeOf = (node: unknown): Range => (isNode(node) && node.range ? { start: node.range[0], end: node.range[1] } : { start: 0, end: text.length });
  const bad = (message: string, node: unknown) => {
    const r = rangeOf(node);
    problems.push(problem('invalid_policy', message, r.start, r.end));
  };
  const root = doc.contents;
  if (root === null) return { policy, problems };
  if (!isMap(root)) {
    bad('The policy must be a mapping with a `labels` key.', root);
    return { policy, problems };
  }
  for (const pair of root.items as Pair[]) {
    if (!(isScalar(pair.key) && pair.key.value === 'labels')) bad(`Unknown key \`${String(isScalar(pair.key) ? pair.key.value : pair.key)}\`; the policy has one key, \`labels\`.`, pair.key);
  }
  const labels = root.get('labels', true);
  if (labels === undefined || labels === null) return { policy, problems };
  if (!isMap(labels)) {
    bad('`labels` must map label names or globs to rules, e.g. `production: { protected: true }`.', labels);
    return { policy, problems };
  }
  for (const pair of labels.items as Pair[]) {
    const pattern = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!/^[A-Za-z0-9*][A-Za-z0-9._*/-]*$/.test(pattern)) {
      bad(`\`${pattern}\` is not a label name or glob.`, pair.key);
      continue;
    }
    const raw = isNode(pair.value) ? pair.value.toJS(doc) : pair.value;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      bad(`The rule for \`${pattern}\` must be a mapping, e.g. \`{ protected: true, requires: { approvals: 1 } }\`.`, pair.value ?? pair.key);
      continue;
    }
    const rule = readRule(pattern, raw as Record<string, unknown>, (m) => bad(`\`${pattern}\`: ${m}`, pair.value));
    if (rule) policy.labels.push({ ...rule, range: rangeOf(pair.key) });
  }
  return { policy, problems };
}

function readRule(pattern: string, raw: Record<string, unknown>, bad: (message: string) => void): Omit<LabelRule, 'range'> | undefined {
  for (const key of Object.keys(raw)) if (key !== 'protected' && key !== 'requires') bad(`unknown key \`${key}\`; a rule has \`protected\` and \`requires\`.`);
  if (raw.protected !== undefined && typeof raw.protected !== 'boolean') return void bad('`protected` must be true or false.');
  const requires = (raw.requires ?? {}) as Record<string, unknown>;
  if (typeof requires !== 'object' || Array.isArray(requires)) return void bad('`requires` must be a mapping of `tests`, `approvals` and `approvers`.');
  for (const key of Object.keys(requires)) if (!['tests', 'approvals', 'approvers'].includes(key)) bad(`unknown requirement \`${key}\`; known: tests, approvals, approvers.`);
  if (requires.tests !== undefined && requires.tests !== 'pass') return void bad('`requires.tests` can only be `pass`.');
  const approvals = requires.approvals ?? 0;
  if (typeof approvals !== 'number' || !Number.isInteger(approvals) || approvals < 0) return void bad('`requires.approvals` must be a whole number of at least 0.');
  const approvers = requires.approvers ?? [];
  if (!Array.isArray(approvers) || !approvers.every((a) => typeof a === 'string')) return void bad('`requires.approvers` must be a list of key names or `role:ROLE` entries.');
  for (const a of approvers as string[]) {
    if (a.startsWith('role:') && !ROLES.includes(a.slice(5) as Role)) return void bad(`\`${a}\` names no role; roles are ${ROLES.join(', ')}.`);
  }
  return { pattern, protected: raw.protected !== false, requires: { ...(requires.tests ? { tests: 'pass' as const } : {}), approvals, approvers: approvers as string[] } };
}

/** The rule for a label: an exact name wins over globs, then the first glob that matches. */
export function ruleFor(policy: Policy, label: string): LabelRule | undefined {
  return policy.labels.find((r) => r.pattern === label) ?? policy.labels.find((r) => r.pattern.includes('*') && globMatches(r.pattern, label));
}

function globMatches(pattern: string, name: string): boolean {
  const parts = pattern.split('*');
  if (!name.startsWith(parts[0])) return false;
  let at = parts[0].length;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = name.indexOf(parts[i], at);
    if (found < 0) return false;
    at = found + parts[i].length;
  }
  const last = parts[parts.length - 1];
  return name.length - last.length >= at && name.endsWith(last);
}

export interface Approval {
  by: string;
  role: Role;
}

/** May this caller approve under this rule? Never the requester; a named approver or a role at or above the one named. */
export function mayApprove(rule: LabelRule | undefined, caller: Approval, requester: string): string | undefined {
  if (caller.by === requester) return 'a request cannot be approved by the key that made it';
  const approvers = rule?.requires.approvers ?? [];
  if (approvers.length === 0) return roleAllows(caller.role, 'approve') ? undefined : `approving needs the approve role; key "${caller.by}" has ${caller.role}`;
  const allowed = approvers.some((a) => (a.startsWith('role:') ? roleAllows(caller.role, a.slice(5) as Role) : a === caller.by));
  return allowed ? undefined : `key "${caller.by}" is not among the approvers of this label (${approvers.join(', ')})`;
}

/** What a move still lacks under a rule: each unmet requirement in words. Empty = the move may go ahead. */
export function unmetRequirements(
  rule: LabelRule | undefined,
  move: { caller: Approval; tests?: { passed: number; failed: number; failedNames: string[] }; approvals: Approval[]; viaRequest: boolean },
): string[] {
  if (!rule || !rule.protected) return [];
  const unmet: string[] = [];
  const { tests, approvals, approvers } = rule.requires;
  if (tests === 'pass') {
    if (!move.tests) unmet.push('tests: the suite has not run on this version (POST …/tests/run)');
    else if (move.tests.failed > 0) unmet.push(`tests: ${move.tests.failed} failed (${move.tests.failedNames.join(', ')})`);
  }
  if (approvals > 0) {
    const counted = new Set(move.approvals.map((a) => a.by)).size;
    if (counted < approvals) unmet.push(`approvals: ${approvals - counted} more needed (${counted} of ${approvals})${move.viaRequest ? '' : '; create a promotion request'}`);
  }
  if (!tests && approvals === 0 && approvers.length === 0 && !move.viaRequest && !roleAllows(move.caller.role, 'approve')) {
    unmet.push(`role: moving a protected label needs the approve role; key "${move.caller.by}" has ${move.caller.role}`);
  }
  return unmet;
}

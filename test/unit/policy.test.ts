/** `.promptforge/policy.yaml`: parsing with ranges, which rule a label gets, who may approve, what a move lacks. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mayApprove, parsePolicy, ruleFor, unmetRequirements } from '../../core/policy';

describe('promotion policy', () => {
  const { policy, problems } = parsePolicy(`labels:
  production:
    protected: true
    requires: { tests: pass, approvals: 2, approvers: [alice, "role:admin"] }
  "prod-*": { protected: true }
  "*": { protected: false }
`);

  it('reads rules; an exact name wins over globs, then the first matching glob', () => {
    assert.deepEqual(problems, []);
    assert.equal(ruleFor(policy, 'production')?.requires.approvals, 2);
    assert.equal(ruleFor(policy, 'prod-eu')?.pattern, 'prod-*');
    assert.equal(ruleFor(policy, 'staging')?.protected, false);
    assert.equal(parsePolicy('labels:\n  "a*b*c": {}\n').policy.labels[0].pattern, 'a*b*c');
    assert.equal(ruleFor(parsePolicy('labels:\n  "a*b*c": {}\n').policy, 'abc')?.pattern, 'a*b*c');
    assert.equal(ruleFor(parsePolicy('labels:\n  "a*b*c": {}\n').policy, 'acb'), undefined);
  });

  it('names each problem with its range', () => {
    const text = 'labels:\n  production: { protected: maybe }\n  staging: { requires: { approvals: -1 } }\n  qa: { requires: { approvers: ["role:boss"] } }\n';
    const result = parsePolicy(text);
    assert.deepEqual(result.problems.map((p) => p.code), ['invalid_policy', 'invalid_policy', 'invalid_policy']);
    assert.match(result.problems[0].message, /`protected` must be true or false/);
    assert.equal(result.problems[0].range.start, text.indexOf('{ protected: maybe }'));
    assert.match(result.problems[2].message, /`role:boss` names no role/);
    assert.match(parsePolicy('labels: [a').problems[0].message, /Invalid YAML \(line 1/);
  });

  it('never lets the requester approve, and honours named approvers and roles at or above the one named', () => {
    const rule = ruleFor(policy, 'production');
    assert.match(mayApprove(rule, { by: 'alice', role: 'admin' }, 'alice')!, /key that made it/);
    assert.equal(mayApprove(rule, { by: 'alice', role: 'write' }, 'bob'), undefined);
    assert.equal(mayApprove(rule, { by: 'root', role: 'admin' }, 'bob'), undefined);
    assert.match(mayApprove(rule, { by: 'carol', role: 'approve' }, 'bob')!, /not among the approvers/);
    assert.equal(mayApprove(ruleFor(policy, 'prod-eu'), { by: 'carol', role: 'approve' }, 'bob'), undefined);
    assert.match(mayApprove(ruleFor(policy, 'prod-eu'), { by: 'dave', role: 'write' }, 'bob')!, /needs the approve role/);
  });

  it('lists what a move lacks: untested, failing tests, approvals counted once per key', () => {
    const rule = ruleFor(policy, 'production');
    const caller = { by: 'x', role: 'admin' as const };
    assert.deepEqual(unmetRequirements(rule, { caller, approvals: [], viaRequest: true }), ['tests: the suite has not run on this version (POST …/tests/run)', 'approvals: 2 more needed (0 of 2)']);
    const approvals = [
      { by: 'alice', role: 'write' as const },
      { by: 'alice', role: 'write' as const },
    ];
    assert.deepEqual(unmetRequirements(rule, { caller, tests: { passed: 1, failed: 1, failedNames: ['greets'] }, approvals, viaRequest: true }), [
      'tests: 1 failed (greets)',
      'approvals: 1 more needed (1 of 2)',
    ]);
    assert.deepEqual(unmetRequirements(ruleFor(policy, 'staging'), { caller: { by: 'y', role: 'read' }, approvals: [], viaRequest: false }), []);
  });

  it('never throws, whatever the text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 120 }), (text) => void parsePolicy(text)));
    fc.assert(fc.property(fc.stringMatching(/^[a-z*-]{1,8}$/), fc.stringMatching(/^[a-z-]{1,8}$/), (pattern, label) => void ruleFor(parsePolicy(`labels:\n  "${pattern}": {}\n`).policy, label)));
  });
});

/** The policy and webhook examples of docs/governance.md are what the forge reads, with the meaning the doc gives them. */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy, ruleFor, unmetRequirements } from '../../core/policy';
import { ConfigError, loadConfig } from '../../forge/config';
import { tempDir } from './apiServer';
import { block } from './support/docBlocks';

const doc = readFileSync(join(__dirname, '../../docs/governance.md'), 'utf8');

describe('docs/governance.md', () => {
  it('the policy example protects production (tests, one approval from alice or an admin) and every stag* label', () => {
    const { policy, problems } = parsePolicy(block(doc, 'policy'));
    assert.deepEqual(problems, []);
    const production = ruleFor(policy, 'production');
    assert.deepEqual(production?.requires, { tests: 'pass', approvals: 1, approvers: ['alice', 'role:admin'] });
    assert.equal(ruleFor(policy, 'staging')?.pattern, 'stag*');
    assert.equal(ruleFor(policy, 'canary'), undefined);
    const unmet = unmetRequirements(production, { caller: { by: 'ci', role: 'admin' }, tests: { passed: 2, failed: 1, failedNames: ['greets by name'] }, approvals: [], viaRequest: false });
    assert.deepEqual(unmet, ['tests: 1 failed (greets by name)', 'approvals: 1 more needed (0 of 1); create a promotion request']);
    for (const item of unmet) assert.ok(doc.includes(JSON.stringify(item)), `the doc shows ${item}`);
  });

  it('the webhook example is a valid forge.yaml section, and a missing secret is named', () => {
    const tmp = tempDir('pf-docs-gov-');
    try {
      const file = join(tmp.dir, 'forge.yaml');
      writeFileSync(file, block(doc, 'webhooks'));
      const config = loadConfig({ file, env: { PROMPTFORGE_HOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' } });
      assert.deepEqual(config.webhooks, [
        { url: 'https://hooks.example.com/promptforge', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', events: ['label.moved', 'release.created', 'request.*', 'tests.completed'] },
      ]);
      assert.throws(() => loadConfig({ file, env: {} }), (e: Error) => e instanceof ConfigError && /webhooks\[0\]\.secretEnv: names \$PROMPTFORGE_HOOK_SECRET, which holds no secret/.test(e.message));
    } finally {
      tmp.cleanup();
    }
  });
});

import { strict as assert } from 'node:assert';
import { checkVariantsAgainstControl, validateExperimentRequest, type Experiment } from '../../core/experiments';

const code = (body: unknown, previous?: Experiment) => {
  const r = validateExperimentRequest(body, previous);
  return r.ok ? 'ok' : r.code;
};

describe('experiment definitions', () => {
  it('accepts a 90/10 split with guardrails and fills in defaults', () => {
    const r = validateExperimentRequest({ variants: [{ version: 'HEAD', weight: 0.1 }], guardrails: [{ metric: 'successRate', maxDrop: 0.05 }, { metric: 'latencyP95', maxRise: 0.2 }] });
    assert.ok(r.ok);
    assert.deepEqual(r.value, {
      variants: [{ name: 'v1', version: 'HEAD', weight: 0.1 }],
      coverage: 1,
      guardrails: [{ metric: 'successRate', maxDrop: 0.05 }, { metric: 'latencyP95', maxRise: 0.2 }],
      minCalls: 200,
    });
  });

  it('refuses each kind of bad input with its own code and a message naming the field', () => {
    const cases: [unknown, string, RegExp][] = [
      [[], 'invalid_experiment', /JSON object/],
      [{}, 'invalid_variants', /non-empty array/],
      [{ variants: [{ version: 'HEAD', weight: 0.6 }, { version: 'v2', weight: 0.4 }] }, 'invalid_weights', /add up to 1/],
      [{ variants: [{ version: 'HEAD', weight: 10 }] }, 'invalid_weights', /variants\[0\]\.weight/],
      [{ variants: [{ version: 'HEAD', weight: 0 }] }, 'invalid_weights', /above 0/],
      [{ variants: [{ version: 'HEAD', weight: 0.1 }], coverage: 1.5 }, 'invalid_coverage', /from 0 to 1.*1\.5/],
      [{ variants: [{ version: 'HEAD', weight: 0.1 }], coverage: -0.1 }, 'invalid_coverage', /coverage/],
      [{ variants: [{ version: 'HEAD', weight: 0.1, name: 'control' }] }, 'invalid_variants', /reserved/],
      [{ variants: [{ version: '', weight: 0.1 }] }, 'invalid_variants', /variants\[0\]\.version/],
      [{ variants: [{ version: 'HEAD', weight: 0.1 }], guardrails: [{ metric: 'successRate' }] }, 'invalid_guardrail', /maxDrop/],
      [{ variants: [{ version: 'HEAD', weight: 0.1 }], guardrails: [{ metric: 'cost', maxRise: 1 }] }, 'invalid_guardrail', /guardrails\[0\]\.metric/],
      [{ variants: [{ version: 'HEAD', weight: 0.1 }], guardrails: {} }, 'invalid_guardrail', /array/],
      [{ variants: [{ version: 'HEAD', weight: 0.1 }], minCalls: 0 }, 'invalid_min_calls', /minCalls/],
      [{ variants: [{ version: 'HEAD', weight: 0.1 }], seed: '' }, 'invalid_seed', /seed/],
    ];
    for (const [body, expected, message] of cases) {
      const r = validateExperimentRequest(body);
      assert.ok(!r.ok, JSON.stringify(body));
      assert.equal(r.code, expected, JSON.stringify(body));
      assert.match(r.message, message);
    }
  });

  it('a change of a running experiment keeps what the body leaves out, never its seed', () => {
    const running = {
      key: 'k', repo: 'demo', id: 'welcome', label: 'production', seed: 'S', coverage: 0.1, status: 'running', control: 'a'.repeat(40),
      variants: [{ name: 'v1', version: 'HEAD', sha: 'b'.repeat(40), weight: 0.1 }], guardrails: [{ metric: 'successRate', maxDrop: 0.05 }], minCalls: 300, startedAt: '', updatedAt: '',
    } satisfies Experiment;
    const r = validateExperimentRequest({ coverage: 0.5 }, running);
    assert.ok(r.ok);
    assert.deepEqual(r.value, { variants: [{ name: 'v1', version: 'HEAD', weight: 0.1 }], coverage: 0.5, seed: 'S', guardrails: running.guardrails, minCalls: 300 });
    assert.equal(code({ seed: 'other' }, running), 'invalid_seed');
  });

  it('refuses a variant that resolves to the control, or two variants of one version', () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    const same = checkVariantsAgainstControl(a, [{ name: 'v1', version: 'production', sha: a }]);
    assert.ok(!same.ok && same.code === 'variant_is_control' && /label's own version/.test(same.message));
    const twice = checkVariantsAgainstControl(a, [{ name: 'v1', version: 'HEAD', sha: b }, { name: 'v2', version: 'main', sha: b }]);
    assert.ok(!twice.ok && twice.code === 'invalid_variants');
    assert.ok(checkVariantsAgainstControl(a, [{ name: 'v1', version: 'HEAD', sha: b }]).ok);
  });
});

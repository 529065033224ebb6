/** Prompt test suites: the promptfoo-subset parser, each assertion type, and the runner's scoring, retries and limits. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePromptFile } from '../../core/promptFile';
import { renderPrompt } from '../../core/template';
import { evaluateAssertion, levenshtein } from '../../core/testSuite/assertions';
import { parseTestSuite } from '../../core/testSuite/parse';
import { report } from '../../core/testSuite/report';
import { ModelCallError, runSuite, type ModelAnswer } from '../../core/testSuite/run';
import type { Assertion, TestSuite } from '../../core/testSuite/types';

const at = (text: string, needle: string) => text.indexOf(needle);
const assertion = (type: string, value?: unknown, extra: Partial<Assertion> = {}): Assertion => {
  const negate = type.startsWith('not-');
  return { type: (negate ? type.slice(4) : type) as Assertion['type'], negate, value, weight: 1, target: 'output', range: { start: 0, end: 0 }, ...extra };
};

describe('test suite files', () => {
  it('reads tests, merges defaultTest vars and assertions under each test, and keeps thresholds and weights', () => {
    const { suite, problems } = parseTestSuite(`description: Welcome
defaultTest:
  vars: { app_name: Acme }
  assert:
    - type: not-contains
      value: ERROR
tests:
  - description: greets by name
    vars: { tier: premium }
    assert:
      - type: icontains
        value: welcome
        weight: 2
      - type: contains
        value: premium
        target: render
    threshold: 0.5
  - vars: { app_name: Other }
`);
    assert.deepEqual(problems, []);
    assert.equal(suite.description, 'Welcome');
    assert.equal(suite.tests.length, 2);
    const [first, second] = suite.tests;
    assert.deepEqual(first.vars, { app_name: 'Acme', tier: 'premium' });
    assert.deepEqual(first.assert.map((a) => [a.type, a.negate, a.weight, a.target]), [
      ['contains', true, 1, 'output'],
      ['icontains', false, 2, 'output'],
      ['contains', false, 1, 'render'],
    ]);
    assert.equal(first.threshold, 0.5);
    assert.equal(first.description, 'greets by name');
    assert.deepEqual(second.vars, { app_name: 'Other' });
    assert.equal(second.assert.length, 1);
  });

  it('reports each problem with its code and the range of the offending text', () => {
    const text = `tests:
  - vars: { a: 1 }
    assert:
      - type: containz
        value: x
      - type: regex
        value: "a("
      - type: contains-any
        value: nope
      - type: latency
      - type: llm-rubric
        value: polite
        target: render
    threshold: 3
`;
    const { problems } = parseTestSuite(text);
    const byCode = Object.fromEntries(problems.map((p) => [p.code, p]));
    assert.deepEqual(Object.keys(byCode).sort(), ['invalid_regex', 'invalid_target', 'invalid_threshold', 'invalid_value', 'unknown_assertion']);
    assert.equal(byCode.unknown_assertion.range.start, at(text, 'containz'));
    assert.match(byCode.unknown_assertion.message, /unknown assertion type `containz`/);
    assert.equal(byCode.invalid_regex.range.start, at(text, '"a("'));
    assert.equal(byCode.invalid_value.range.start, at(text, 'nope'));
    assert.equal(problems.filter((p) => p.code === 'invalid_threshold').length, 2, 'latency without a threshold, and a test threshold above 1');
  });

  it('names the line of broken YAML, and accepts promptfoo config keys it does not use with a warning', () => {
    const broken = parseTestSuite('tests:\n  - vars: { a: 1\n');
    assert.equal(broken.problems[0].code, 'invalid_yaml');
    assert.match(broken.problems[0].message, /line \d+, column \d+/);
    const promptfoo = parseTestSuite('prompts: [file://x.txt]\nproviders: [openai:gpt-4o-mini]\ntests:\n  - vars: { a: 1 }\n');
    assert.deepEqual(promptfoo.problems.map((p) => [p.code, p.severity]), [
      ['ignored_key', 'warning'],
      ['ignored_key', 'warning'],
    ]);
    assert.equal(promptfoo.suite.tests.length, 1);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const { suite, problems } = parseTestSuite(text);
        assert.ok(Array.isArray(suite.tests));
        for (const p of problems) assert.ok(p.range.start <= p.range.end && p.range.end <= text.length);
      }),
    );
  });
});

describe('assertions', () => {
  const out = (text: string, more: object = {}) => ({ text, ...more });

  it('checks text the way promptfoo does, and not- inverts each', async () => {
    const cases: [string, unknown, string, boolean][] = [
      ['equals', 'Hi Ann', 'Hi Ann', true],
      ['equals', 'Hi Ann', 'Hi Ann!', false],
      ['equals', { a: [1, 2] }, '{"a":[1,2]}', true],
      ['equals', { a: [1, 2] }, '{"a":[2,1]}', false],
      ['contains', 'Ann', 'Hi Ann', true],
      ['icontains', 'ANN', 'Hi Ann', true],
      ['contains', 'ANN', 'Hi Ann', false],
      ['contains-any', ['Bob', 'Ann'], 'Hi Ann', true],
      ['contains-all', ['Hi', 'Bob'], 'Hi Ann', false],
      ['starts-with', 'Hi', 'Hi Ann', true],
      ['regex', '^H.\\s\\w+$', 'Hi Ann', true],
      ['regex', '^\\d+$', 'Hi Ann', false],
      ['is-json', undefined, '{"ok":true}', true],
      ['is-json', undefined, '{ok:true}', false],
      ['is-json', { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } }, '{"ok":"yes"}', false],
      ['is-json', { type: 'object', required: ['ok'] }, '{"ok":1}', true],
      ['levenshtein', 'Hello', 'Hallo', true],
    ];
    for (const [type, value, text, expected] of cases) {
      const plain = await evaluateAssertion(assertion(type, value), out(text));
      assert.equal(plain.pass, expected, `${type} ${JSON.stringify(value)} on ${JSON.stringify(text)}`);
      assert.equal(plain.score, expected ? 1 : 0);
      if (!expected) assert.ok(plain.reason, `${type} says why it failed`);
      const negated = await evaluateAssertion(assertion(`not-${type}`, value), out(text));
      assert.equal(negated.pass, !expected, `not-${type}`);
    }
  });

  it('levenshtein counts edits against its threshold (default 5)', async () => {
    assert.equal(levenshtein('kitten', 'sitting'), 3);
    assert.equal((await evaluateAssertion(assertion('levenshtein', 'kitten', { threshold: 2 }), out('sitting'))).pass, false);
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = levenshtein(a, b);
        assert.equal(d, levenshtein(b, a));
        assert.ok(d >= Math.abs(a.length - b.length) && d <= Math.max(a.length, b.length));
      }),
    );
  });

  it('latency and cost compare the measured figures with the threshold, and fail clearly when none was measured', async () => {
    assert.equal((await evaluateAssertion(assertion('latency', undefined, { threshold: 100 }), out('x', { latencyMs: 80 }))).pass, true);
    const slow = await evaluateAssertion(assertion('latency', undefined, { threshold: 100 }), out('x', { latencyMs: 130 }));
    assert.equal(slow.pass, false);
    assert.match(slow.reason!, /130 ms \(at most 100 ms/);
    const noCost = await evaluateAssertion(assertion('cost', undefined, { threshold: 0.01 }), out('x'));
    assert.match(noCost.reason!, /reported no cost/);
  });

  it('llm-rubric and similar use the graders given, and say so when there are none', async () => {
    const rubric = async (r: string, o: string) => ({ pass: o.includes('please'), score: o.includes('please') ? 0.9 : 0.2, reason: `checked ${r}` });
    assert.equal((await evaluateAssertion(assertion('llm-rubric', 'is polite'), out('yes please'), { rubric })).pass, true);
    const rude = await evaluateAssertion(assertion('llm-rubric', 'is polite'), out('no'), { rubric });
    assert.deepEqual([rude.pass, rude.score, rude.reason], [false, 0.2, 'checked is polite']);
    assert.match((await evaluateAssertion(assertion('similar', 'hi'), out('hi'))).reason!, /embeddings endpoint/);
    const embed = async (texts: string[]) => texts.map((t) => (t.startsWith('hello') ? [1, 0] : [0.6, 0.8]));
    const similar = await evaluateAssertion(assertion('similar', 'hello there', { threshold: 0.7 }), out('bye'), { embed });
    assert.equal(similar.pass, false);
    assert.ok(Math.abs(similar.score - 0.6) < 1e-9);
  });
});

describe('running a suite', () => {
  const suiteOf = (text: string): TestSuite => {
    const { suite, problems } = parseTestSuite(text);
    assert.deepEqual(problems, []);
    return suite;
  };
  const render = (vars: Record<string, unknown>) => (vars.name === undefined ? { errors: ['missing required param `name`'] } : { text: `Hello ${String(vars.name)}` });

  it('checks render-only tests without a model, and fails a test whose vars do not render', async () => {
    const suite = suiteOf(`tests:
  - vars: { name: Ann }
    assert: [{ type: equals, value: Hello Ann, target: render }]
  - vars: { other: 1 }
    assert: [{ type: contains, value: Hello, target: render }]
`);
    const result = await runSuite(suite, { render });
    assert.deepEqual([result.passed, result.failed], [1, 1]);
    assert.match(result.tests[1].error!, /did not render: missing required param `name`/);
  });

  it('scores by weight when the test has a threshold, and needs every assertion otherwise', async () => {
    const suite = suiteOf(`tests:
  - vars: { name: Ann }
    threshold: 0.7
    assert:
      - { type: contains, value: Ann, weight: 3 }
      - { type: contains, value: Bob }
  - vars: { name: Ann }
    assert:
      - { type: contains, value: Ann, weight: 3 }
      - { type: contains, value: Bob }
`);
    const result = await runSuite(suite, { render, complete: async (p) => ({ output: p.text!, latencyMs: 1 }) });
    assert.equal(result.tests[0].score, 0.75);
    assert.deepEqual(result.tests.map((t) => t.pass), [true, false]);
  });

  it('retries a 429 or 5xx with backoff, gives up on a 4xx at once, and keeps at most `concurrency` calls in flight', async () => {
    const suite = suiteOf(`tests:\n${Array.from({ length: 6 }, (_, i) => `  - vars: { name: n${i} }\n    assert: [{ type: contains, value: Hello }]`).join('\n')}\n`);
    let inFlight = 0;
    let most = 0;
    const calls = new Map<string, number>();
    const complete = async (p: { text?: string }): Promise<ModelAnswer> => {
      inFlight++;
      most = Math.max(most, inFlight);
      const n = (calls.get(p.text!) ?? 0) + 1;
      calls.set(p.text!, n);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      if (p.text === 'Hello n1' && n < 3) throw new ModelCallError('busy', 429);
      if (p.text === 'Hello n2') throw new ModelCallError('bad request', 400);
      if (p.text === 'Hello n3') throw new ModelCallError('down', 503);
      return { output: p.text!, latencyMs: 1 };
    };
    const result = await runSuite(suite, { render, complete, concurrency: 2, retries: 2, backoffMs: 1 });
    assert.ok(most <= 2, `at most 2 in flight, saw ${most}`);
    assert.deepEqual(result.tests.map((t) => [t.pass, t.attempts]), [
      [true, 1],
      [true, 3],
      [false, 1],
      [false, 3],
      [true, 1],
      [true, 1],
    ]);
    assert.match(result.tests[2].error!, /bad request/);
  });

  it('fails a test that outlives its timeout, naming the limit', async () => {
    const suite = suiteOf('tests:\n  - vars: { name: Ann }\n    assert: [{ type: contains, value: Hello }]\n');
    const complete = (_p: unknown, signal: AbortSignal) => new Promise<ModelAnswer>((_r, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    const result = await runSuite(suite, { render, complete, timeoutMs: 20 });
    assert.match(result.tests[0].error!, /no answer within 20 ms/);
  });

  it('reports JUnit XML that escapes what the model said', async () => {
    const suite = suiteOf('tests:\n  - description: "<b>&"\n    vars: { name: Ann }\n    assert: [{ type: contains, value: Bob }]\n');
    const result = await runSuite(suite, { render, complete: async () => ({ output: '<script>"x"</script>', latencyMs: 1 }) });
    const xml = report([{ file: 'welcome.test.yaml', prompt: 'welcome', result }], 'junit');
    assert.match(xml, /<testcase name="&lt;b&gt;&amp;" classname="welcome"/);
    assert.match(xml, /&lt;script&gt;&quot;x&quot;&lt;\/script&gt;/);
    assert.doesNotMatch(xml, /<script>/);
    assert.match(xml, /<testsuites name="promptforge" tests="1" failures="1"/);
  });
});

describe('a promptfoo-format configuration', () => {
  it('runs unchanged: promptfoo-only keys are ignored with a warning, every deterministic assertion is understood', async () => {
    const dir = join(__dirname, '../fixtures/promptfoo');
    const { suite, problems } = parseTestSuite(readFileSync(join(dir, 'translate.test.yaml'), 'utf8'));
    assert.deepEqual(problems.map((p) => [p.code, p.severity]), [
      ['ignored_key', 'warning'],
      ['ignored_key', 'warning'],
    ]);
    const prompt = parsePromptFile(readFileSync(join(dir, 'translate.prompt'), 'utf8')).file;
    const answers: Record<string, string> = {
      French: 'Bonjour le monde',
      Spanish: '¿Dónde está la biblioteca?',
      German: 'Guten Morgen!',
      Italian: 'Grazie',
      'JSON with a "text" field in Portuguese': '{"text": "Boa noite"}',
    };
    const result = await runSuite(suite, {
      render: (vars) => ({ text: renderPrompt(prompt, vars, () => undefined).text }),
      complete: async (p) => ({ output: answers[/to (.+): /.exec(p.text!)![1]], latencyMs: 1 }),
    });
    assert.deepEqual(result.tests.map((t) => [t.pass, t.assertions.length]), [
      [true, 2],
      [true, 3],
      [true, 3],
      [true, 3],
      [true, 3],
    ]);
  });
});

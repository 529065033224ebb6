import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { UsageStore } from '../../forge/usage/store';
import { buildBundle, REVIEW_INSTRUCTION, type ReviewBundle } from '../../forge/review/bundle';
import { ReviewError } from '../../forge/review/errors';
import { parseReviewAnswer } from '../../forge/review/parse';
import { draftBranch, review } from '../../forge/review/review';
import { LlmStub } from '../fixtures/llm-stub';

const SHA = 'c'.repeat(40);
const SOURCE = '---\ndescription: Greets a user\nparams:\n  name: { type: string, required: true }\n---\nHello {{name}}.\n';
const REVISED = '---\ndescription: Greets a user\nparams:\n  name: { type: string, required: true }\n---\nHello {{name}}, welcome aboard!\n';
const answer = (revised: string | null = REVISED) =>
  JSON.stringify({ summary: 'Too terse.', suggestions: [{ title: 'Be warmer', detail: 'Users rate short greetings low.' }], revised });

describe('review with an LLM', () => {
  let dir: string;
  let usage: UsageStore;
  let stub: LlmStub;
  let bundle: ReviewBundle;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pf-review-'));
    usage = new UsageStore(join(dir, 'usage.db'));
    const ev = { repo: 'demo', id: 'welcome', sha: SHA };
    await usage.ingest({ events: [
      { ...ev, consent: true, input: '{"name":"Ada"}', output: 'Hello Ada.', feedback: -1, success: true },
      { ...ev, feedback: 1, success: true, metadata: { user: 'not-for-review' } },
      { ...ev, consent: true, input: '{"name":"Bob"}', output: 'x'.repeat(5000), success: false },
    ] });
    bundle = buildBundle({
      repo: 'demo', id: 'welcome', sha: SHA, release: '1.0.0', labels: ['production'], source: SOURCE,
      template: 'Hello {{name}}.\n', params: { name: { type: 'string', required: true } },
      metrics: usage.metrics('demo', 'welcome').versions[0] ?? null,
      samples: usage.samples('demo', 'welcome', { sha: SHA }),
    });
    stub = await LlmStub.start({ apiKey: 'sk-test' });
  });
  after(async () => {
    usage.close();
    await stub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('bundles metrics and only consented samples, clipped', () => {
    assert.equal(bundle.samples.length, 2);
    assert.deepEqual(bundle.samples.map((s) => s.input), ['{"name":"Bob"}', '{"name":"Ada"}']);
    assert.ok(bundle.samples[0].output!.length < 2100, 'long outputs are clipped');
    assert.ok(!JSON.stringify(bundle).includes('not-for-review'), 'metadata of events never goes to the model');
    assert.equal(bundle.metrics?.calls, 3);
  });

  it('sends the bundle with the review instruction and reads the suggestions', async () => {
    stub.setReply(() => `Here is my review:\n\`\`\`json\n${answer()}\n\`\`\`\nGood luck!`);
    const before = stub.requests.length;
    const result = await review(bundle, { url: stub.url, model: 'reviewer-1', apiKey: 'sk-test' }, 'make it friendlier');
    const sent = stub.requests[before];
    assert.equal(sent.headers.authorization, 'Bearer sk-test');
    assert.equal(sent.body.model, 'reviewer-1');
    assert.equal(sent.body.messages[0].content, REVIEW_INSTRUCTION);
    const user = sent.body.messages[1].content!;
    assert.ok(user.includes(JSON.stringify(SOURCE)), 'the whole prompt file is sent');
    assert.ok(user.includes('Hello Ada.') && user.includes('make it friendlier'));

    assert.deepEqual(result.suggestions, [{ title: 'Be warmer', detail: 'Users rate short greetings low.' }]);
    assert.equal(result.revised, REVISED);
    assert.equal(result.sha, SHA);
    assert.match(result.diff!, /^-Hello \{\{name\}\}\.$/m);
    assert.match(result.diff!, /^\+Hello \{\{name\}\}, welcome aboard!$/m);
    assert.equal(result.samples, 2);
    assert.deepEqual(result.problems, [], 'the revision is a valid prompt file');
    assert.ok(result.usage.inputTokens! > 0 && result.usage.outputTokens! > 0);
  });

  it('flags a revision that is not a valid prompt file, so it is not applied blindly', async () => {
    stub.setReply(() => answer('---\nparams: [unclosed\n---\nHello\n'));
    const result = await review(bundle, { url: stub.url, model: 'm', apiKey: 'sk-test' });
    assert.ok(result.problems.length > 0);
    assert.ok(result.problems[0].line > 1 && result.problems[0].code.length > 0, JSON.stringify(result.problems));
  });

  it('reports no revision when the model proposes none or returns the same file', async () => {
    stub.setReply(() => answer(null));
    assert.equal((await review(bundle, { url: stub.url, model: 'm', apiKey: 'sk-test' })).diff, null);
    stub.setReply(() => answer(SOURCE));
    assert.equal((await review(bundle, { url: stub.url, model: 'm', apiKey: 'sk-test' })).revised, null);
  });

  const failures: [string, () => string | { status: number; body: unknown }, string][] = [
    ['prose without JSON', () => 'I think the prompt is fine.', 'bad_llm_output'],
    ['JSON of the wrong shape', () => '{"summary": 3, "suggestions": []}', 'bad_llm_output'],
    ['an empty revision', () => JSON.stringify({ summary: 's', suggestions: [], revised: '  ' }), 'bad_llm_output'],
    ['an upstream error', () => ({ status: 500, body: { error: { message: 'model overloaded' } } }), 'llm_failed'],
  ];
  for (const [what, reply, code] of failures) {
    it(`fails clearly on ${what}`, async () => {
      stub.setReply(reply);
      await assert.rejects(review(bundle, { url: stub.url, model: 'm', apiKey: 'sk-test' }), (e: unknown) => {
        assert.ok(e instanceof ReviewError);
        assert.equal(e.code, code);
        assert.equal(e.status, 502);
        return true;
      });
    });
  }

  it('names the missing configuration and a wrong key', async () => {
    await assert.rejects(review(bundle, undefined), (e: unknown) => e instanceof ReviewError && e.code === 'llm_not_configured');
    await assert.rejects(review(bundle, { url: stub.url, model: 'm', apiKey: 'wrong' }), /answered 401: Incorrect API key/);
  });
});

describe('review answers (parser)', () => {
  const suggestion = fc.record({ title: fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''), detail: fc.string() });
  const answers = fc.record({
    summary: fc.string(),
    suggestions: fc.array(suggestion, { maxLength: 5 }),
    revised: fc.option(fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''), { nil: null }),
  });

  it('reads an answer wrapped in any prose or fences', () => {
    const prose = fc.string().filter((s) => !s.includes('{'));
    fc.assert(
      fc.property(answers, prose, prose, (a, before, after) => {
        const parsed = parseReviewAnswer(`${before}\n\`\`\`json\n${JSON.stringify(a)}\n\`\`\`\n${after}`);
        assert.equal(parsed.suggestions.length, a.suggestions.length);
        assert.equal(parsed.revised === null, a.revised === null);
        if (a.revised !== null) assert.equal(parsed.revised!.trimEnd(), a.revised.trimEnd());
      }),
      { numRuns: 300 },
    );
  });

  it('either reads any text or fails with bad_llm_output', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        try {
          parseReviewAnswer(text);
        } catch (e) {
          assert.ok(e instanceof ReviewError && e.code === 'bad_llm_output', String(e));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('stays fast on an answer full of braces', () => {
    const hostile = `${'{"a":'.repeat(20_000)}1${'}'.repeat(19_999)}`;
    assert.throws(() => parseReviewAnswer(hostile), /bad_llm_output|could not be read/);
  });
});

describe('draft branch names', () => {
  const day = new Date('2026-03-05T23:59:00Z');
  it('uses review/ID-YYYYMMDD and numbers repeats', () => {
    assert.equal(draftBranch('welcome', ['main'], day), 'review/welcome-20260305');
    assert.equal(draftBranch('welcome', ['main', 'review/welcome-20260305'], day), 'review/welcome-20260305-2');
    assert.equal(draftBranch('welcome', ['review/welcome-20260305', 'review/welcome-20260305-2'], day), 'review/welcome-20260305-3');
  });
});

describe('the OpenAI-compatible test stub', () => {
  let stub: LlmStub;
  before(async () => (stub = await LlmStub.start({ reply: () => 'one two three four five six' })));
  after(() => stub.close());

  it('streams server-sent chunks that add up to the reply, then usage and [DONE]', async () => {
    const res = await fetch(`${stub.url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'a b' }] }),
    });
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    const events = (await res.text()).split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, ''));
    assert.equal(events.at(-1), '[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    assert.equal(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join(''), 'one two three four five six');
    assert.deepEqual(chunks.at(-1).usage, { prompt_tokens: 2, completion_tokens: 6, total_tokens: 8 });
    assert.ok(chunks.length > 4, 'more than one content chunk');
  });

  it('answers plain completions with token counts', async () => {
    const res = await fetch(`${stub.url}/chat/completions`, { method: 'POST', body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }) });
    const body = (await res.json()) as { choices: { message: { content: string } }[]; usage: { completion_tokens: number } };
    assert.equal(body.choices[0].message.content, 'one two three four five six');
    assert.equal(body.usage.completion_tokens, 6);
  });
});

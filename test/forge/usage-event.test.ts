import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { LIMITS, UsageBatchError, validateBatch, validateEvent } from '../../forge/usage/event';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const SHA = 'a'.repeat(40);
const base = { repo: 'demo', id: 'welcome', sha: SHA };

function reason(raw: unknown): string {
  const checked = validateEvent(raw, NOW);
  assert.ok(!checked.ok, `expected ${JSON.stringify(raw)} to be rejected`);
  return checked.code;
}

describe('usage event validation', () => {
  it('accepts a full event and normalises it', () => {
    const checked = validateEvent(
      { ...base, sha: SHA.toUpperCase(), trackingId: 't1', success: true, latencyMs: 12.5, inputTokens: 10, outputTokens: 3,
        model: 'gpt-4o-mini', feedback: -0.5, metadata: { user: 'u1' }, at: '2026-03-01T11:00:00Z' },
      NOW,
    );
    assert.ok(checked.ok);
    assert.equal(checked.event.sha, SHA);
    assert.equal(checked.event.at, Date.parse('2026-03-01T11:00:00Z'));
    assert.equal(checked.event.consent, false);
    assert.equal(checked.event.input, null);
  });

  it('takes the version from a pinned uri, and dates an event without "at" now', () => {
    const checked = validateEvent({ uri: `prompt://localhost:7070/demo/welcome/${SHA}?app_name=Acme%20Inc` }, NOW);
    assert.ok(checked.ok);
    assert.deepEqual([checked.event.repo, checked.event.id, checked.event.sha, checked.event.at], ['demo', 'welcome', SHA, NOW]);
  });

  const bad: [string, unknown, string][] = [
    ['not an object', 'x', 'invalid_event'],
    ['unknown field', { ...base, latencyMS: 3 }, 'unknown_field'],
    ['missing sha', { repo: 'demo', id: 'welcome' }, 'missing_field'],
    ['short sha', { ...base, sha: 'abc1234' }, 'invalid_sha'],
    ['hostile repo', { ...base, repo: '--upload-pack=x' }, 'invalid_repo'],
    ['id with a slash', { ...base, id: 'a/b' }, 'invalid_id'],
    ['uri with a label', { uri: 'prompt://h/demo/welcome/production' }, 'unpinned_uri'],
    ['uri and sha', { ...base, uri: `prompt://h/demo/welcome/${SHA}` }, 'ambiguous_version'],
    ['malformed uri', { uri: 'http://h/demo/welcome' }, 'invalid_uri'],
    ['negative latency', { ...base, latencyMs: -1 }, 'invalid_latency_ms'],
    ['latency as text', { ...base, latencyMs: '12' }, 'invalid_latency_ms'],
    ['fractional tokens', { ...base, inputTokens: 1.5 }, 'invalid_input_tokens'],
    ['negative tokens', { ...base, outputTokens: -2 }, 'invalid_output_tokens'],
    ['feedback above 1', { ...base, feedback: 1.5 }, 'invalid_feedback'],
    ['success as text', { ...base, success: 'yes' }, 'invalid_success'],
    ['metadata array', { ...base, metadata: [1] }, 'invalid_metadata'],
    ['huge metadata', { ...base, metadata: { x: 'y'.repeat(LIMITS.metadataChars) } }, 'metadata_too_large'],
    ['time not ISO', { ...base, at: 'yesterday' }, 'invalid_at'],
    ['time as number', { ...base, at: NOW }, 'invalid_at'],
    ['time in the future', { ...base, at: '2026-03-02T12:00:00Z' }, 'at_in_future'],
    ['sample without consent', { ...base, input: 'hi' }, 'consent_required'],
    ['huge sample', { ...base, consent: true, output: 'x'.repeat(LIMITS.sampleChars + 1) }, 'sample_too_large'],
  ];
  for (const [what, raw, code] of bad) {
    it(`rejects ${what} with ${code}`, () => assert.equal(reason(raw), code));
  }

  it('names the offending field and value in the message', () => {
    const checked = validateEvent({ ...base, latencyMs: -3 }, NOW);
    assert.ok(!checked.ok);
    assert.match(checked.message, /"latencyMs".*-3/);
  });

  it('refuses events older than the retention window', () => {
    assert.equal(validateEvent({ ...base, at: '2020-01-01T00:00:00Z' }, NOW, NOW - 86_400_000).ok, false);
  });

  it('keeps consented samples, serialising chat messages as JSON', () => {
    const checked = validateEvent({ ...base, consent: true, input: [{ role: 'user', content: 'hi' }], output: 'hello' }, NOW);
    assert.ok(checked.ok);
    assert.equal(checked.event.input, '[{"role":"user","content":"hi"}]');
    assert.equal(checked.event.output, 'hello');
  });

  it('bounds the batch and requires the envelope', () => {
    assert.throws(() => validateBatch([]), (e: unknown) => e instanceof UsageBatchError && e.status === 400);
    assert.throws(
      () => validateBatch({ events: new Array(LIMITS.batchEvents + 1).fill(base) }),
      (e: unknown) => e instanceof UsageBatchError && e.status === 413 && e.code === 'batch_too_large',
    );
    assert.equal(validateBatch({ events: [base] }).length, 1);
  });

  it('never throws on arbitrary input and always explains a rejection', () => {
    fc.assert(
      fc.property(fc.anything(), (raw) => {
        const checked = validateEvent(raw, NOW);
        if (!checked.ok) assert.ok(checked.code.length > 0 && checked.message.length > 0);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts every well-typed event and keeps its numbers', () => {
    const event = fc.record(
      {
        success: fc.boolean(),
        latencyMs: fc.double({ min: 0, max: LIMITS.latencyMs, noNaN: true }),
        inputTokens: fc.nat({ max: LIMITS.tokens }),
        outputTokens: fc.nat({ max: LIMITS.tokens }),
        feedback: fc.double({ min: -1, max: 1, noNaN: true }),
        model: fc.string({ maxLength: 40 }),
        at: fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: NOW }).map((t) => new Date(t).toISOString()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(event, (fields) => {
        const checked = validateEvent({ ...base, ...fields }, NOW);
        assert.ok(checked.ok, JSON.stringify(fields));
        assert.equal(checked.event.latencyMs, fields.latencyMs ?? null);
        assert.equal(checked.event.feedback, fields.feedback ?? null);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips any valid repo and id through a pinned uri', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/);
    fc.assert(
      fc.property(name, name, fc.stringMatching(/^[0-9a-f]{40}$/), (repo, id, sha) => {
        const checked = validateEvent({ uri: `prompt://forge:7070/${encodeURIComponent(repo)}/${encodeURIComponent(id)}/${sha}` }, NOW);
        assert.ok(checked.ok);
        assert.deepEqual([checked.event.repo, checked.event.id, checked.event.sha], [repo, id, sha]);
      }),
      { numRuns: 300 },
    );
  });
});

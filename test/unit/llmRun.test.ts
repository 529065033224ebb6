// Render & Test → Run: the extension host's streaming call to an OpenAI-compatible
// endpoint, against a local stub of that API.
import assert from 'node:assert/strict';
import { runChat } from '../../client/src/llm';
import { LlmStub } from '../fixtures/llm-stub';

describe('Render & Test run (OpenAI-compatible endpoint)', () => {
  let stub: LlmStub;
  before(async () => {
    stub = await LlmStub.start({ apiKey: 'sk-test', reply: () => 'Welcome to Acme, a premium member!' });
  });
  after(() => stub.close());

  it('streams the answer in pieces and reports latency and token counts', async () => {
    const pieces: string[] = [];
    const result = await runChat({
      endpoint: stub.url,
      apiKey: 'sk-test',
      model: 'stub-model',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Greet Acme' }],
      onText: (t) => pieces.push(t),
    });
    assert.ok(pieces.length > 1, 'the answer arrives in several chunks');
    assert.equal(pieces.join(''), 'Welcome to Acme, a premium member!');
    assert.equal(result.text, 'Welcome to Acme, a premium member!');
    assert.equal(result.inputTokens, 4);
    assert.equal(result.outputTokens, 6);
    assert.ok(result.latencyMs >= 0);
    const sent = stub.requests.at(-1)!;
    assert.equal(sent.headers.authorization, 'Bearer sk-test');
    assert.equal(sent.body.stream, true);
    assert.deepEqual(sent.body.messages.map((m) => m.role), ['system', 'user']);
  });

  it('names the endpoint, the status and the reason when the call is refused', async () => {
    await assert.rejects(
      runChat({ endpoint: stub.url + '/', apiKey: 'wrong', model: 'm', messages: [{ role: 'user', content: 'x' }], onText: () => undefined }),
      /\/v1\/chat\/completions answered 401: Incorrect API key provided/,
    );
  });
});

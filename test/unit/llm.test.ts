// core/llm.ts: the OpenAI-compatible request and answers shared by review, Render & Test
// and the test runner.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { chatRequest, LlmOutputError, readChatStream, readCompletion, refusalReason, type StreamPiece } from '../../core/llm';

async function collect(chunks: (string | Uint8Array)[]): Promise<StreamPiece[]> {
  const out: StreamPiece[] = [];
  for await (const piece of readChatStream((async function* () { yield* chunks; })())) out.push(piece);
  return out;
}

const event = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;

describe('OpenAI-compatible chat (core)', () => {
  it('builds one request: the URL under the base, the key as a bearer token, streaming with usage when asked', () => {
    const { url, init } = chatRequest({ endpoint: 'http://llm.test/v1//', apiKey: 'sk', model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true });
    assert.equal(url, 'http://llm.test/v1/chat/completions');
    assert.equal(init.headers.authorization, 'Bearer sk');
    assert.deepEqual(JSON.parse(init.body), { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    const plain = chatRequest({ endpoint: 'http://llm.test/v1', model: 'm', messages: [], temperature: 0.2 });
    assert.equal(plain.init.headers.authorization, undefined);
    assert.deepEqual(JSON.parse(plain.init.body), { model: 'm', messages: [], temperature: 0.2 });
  });

  it('reads an answer, and refuses one of the wrong shape with bad_llm_output', () => {
    const answer = JSON.stringify({ model: 'gpt-x', choices: [{ message: { content: 'ok' } }], usage: { prompt_tokens: 3, completion_tokens: 1 } });
    assert.deepEqual(readCompletion(answer, 'asked'), { content: 'ok', model: 'gpt-x', usage: { inputTokens: 3, outputTokens: 1 } });
    for (const bad of ['not json', '{"choices": []}', '{"choices": [{"message": {"content": 3}}]}', 'null']) {
      assert.throws(() => readCompletion(bad, 'm'), (e: unknown) => e instanceof LlmOutputError && e.code === 'bad_llm_output', bad);
    }
    assert.equal(refusalReason('{"error": {"message": "Incorrect API key"}}'), 'Incorrect API key');
    assert.equal(refusalReason('<html>Bad gateway</html>'), '<html>Bad gateway</html>');
  });

  it('streams the same text and usage however the bytes are split (property)', async () => {
    const words = ['Wel', 'come ', 'to é', ' Acme', '!'];
    const text = [...words.map((w) => event({ choices: [{ delta: { content: w } }] })), event({ choices: [], usage: { prompt_tokens: 4, completion_tokens: 6 } }), 'data: [DONE]\n\n'].join('');
    const bytes = new TextEncoder().encode(text);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: bytes.length }), { maxLength: 12 }), async (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let at = 0;
        for (const p of [...points, bytes.length]) {
          chunks.push(bytes.slice(at, p));
          at = p;
        }
        const pieces = await collect(chunks);
        assert.equal(pieces.map((p) => p.text ?? '').join(''), 'Welcome to é Acme!');
        assert.deepEqual(pieces.at(-1), { usage: { inputTokens: 4, outputTokens: 6 } });
      }),
    );
  });

  it('ends a stream at an error event with its message', async () => {
    await assert.rejects(collect([event({ choices: [{ delta: { content: 'a' } }] }), event({ error: { message: 'model overloaded' } })]), /model overloaded/);
    await assert.rejects(collect(['data: {oops\n\n']), (e: unknown) => e instanceof LlmOutputError);
  });
});

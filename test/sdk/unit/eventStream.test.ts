import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SseParser, followStream, type SseMessage } from '../../../sdk/eventStream';

function parseAll(chunks: string[]): { messages: SseMessage[]; retryMs?: number } {
  const parser = new SseParser();
  const messages = chunks.flatMap((c) => parser.push(c));
  return { messages, retryMs: parser.retryMs };
}

describe('sdk event stream parser', () => {
  it('reads events, multi-line data, ids, comments and retry', () => {
    const { messages, retryMs } = parseAll([': hello\n\nretry: 1500\nid: 1\nevent: label\ndata: {"a":1}\n\ndata: x\ndata: y\n\n']);
    assert.deepEqual(messages, [
      { event: 'label', data: '{"a":1}', id: '1' },
      { event: 'message', data: 'x\ny', id: '1' },
    ]);
    assert.equal(retryMs, 1500);
  });

  it('accepts CRLF, CR and LF line ends, and a field without a space after the colon', () => {
    // A CR that ends what has arrived may be half of a CRLF: the event after it is complete once the next byte comes.
    assert.deepEqual(parseAll(['event:a\r\ndata:1\r\n\r\nevent: b\rdata: 2\r\r', ':\r']).messages, [
      { event: 'a', data: '1', id: undefined },
      { event: 'b', data: '2', id: undefined },
    ]);
  });

  it('reads UTF-8 bytes as the HTTP body gives them, a character split across chunks included', () => {
    const bytes = new TextEncoder().encode('event: label\ndata: {"to":"é"}\n\n');
    const cut = bytes.indexOf(0xc3) + 1; // inside "é"
    const parser = new SseParser();
    assert.deepEqual([...parser.push(bytes.slice(0, cut)), ...parser.push(bytes.slice(cut))], [{ event: 'label', data: '{"to":"é"}', id: undefined }]);
  });

  it('ignores an event without data and an id containing NUL', () => {
    assert.deepEqual(parseAll(['event: ping\n\nid: a\0b\ndata: z\n\n']).messages, [{ event: 'message', data: 'z', id: undefined }]);
  });

  it('gives the same messages however the stream is split into chunks (property)', () => {
    const line = fc.oneof(
      fc.constantFrom(': c', 'event: label', 'event: release', 'id: 7', 'retry: 10', ''),
      fc.string({ unit: fc.constantFrom('a', 'b', ':', ' ', '{', '}', 'é') }).map((s) => `data: ${s}`),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.constantFrom('\n', '\r\n', '\r'), fc.array(fc.nat(), { maxLength: 10 }), (lines, eol, cuts) => {
        const text = lines.join(eol) + eol + eol;
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let at = 0;
        for (const p of points) {
          chunks.push(text.slice(at, p));
          at = p;
        }
        chunks.push(text.slice(at));
        assert.deepEqual(parseAll(chunks), parseAll([text]));
      }),
    );
  });
});

describe('sdk followStream', () => {
  it('reconnects after failures and ends when aborted, never rejecting', async () => {
    const stop = new AbortController();
    const ids: (string | undefined)[] = [];
    const errors: unknown[] = [];
    let attempt = 0;
    const seen: string[] = [];
    await followStream(
      async (lastEventId) => {
        ids.push(lastEventId);
        attempt++;
        if (attempt === 1) throw new Error('refused');
        if (attempt === 3) {
          stop.abort();
          return (async function* () {})();
        }
        return (async function* () {
          yield 'id: 5\ndata: one\n\n';
        })();
      },
      (m) => seen.push(m.data),
      { signal: stop.signal, minBackoffMs: 1, lastEventId: '4', onError: (e) => errors.push(e) },
    );
    assert.deepEqual(ids, ['4', '4', '5']);
    assert.deepEqual(seen, ['one']);
    assert.equal(errors.length, 2);
  });
});

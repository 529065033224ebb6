import assert from 'node:assert/strict';
import fc from 'fast-check';
import { URI } from 'vscode-uri';
import { formatDocumentUri, parseDocumentUri } from '../../server/src/protocol';

const segment = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/);
const host = fc.tuple(segment, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined })).map(([name, port]) => (port ? `${name.toLowerCase()}:${port}` : name.toLowerCase()));
const version = fc.option(fc.stringMatching(/^[A-Za-z0-9^~<>=. /_-]{1,30}$/), { nil: undefined });

describe('promptforge: document URIs', () => {
  it('round-trip every target, also after an editor re-encodes them', () => {
    fc.assert(
      fc.property(host, segment, segment, version, (h, repo, id, v) => {
        const target = { host: h, repo, id, ...(v === undefined ? {} : { version: v }) };
        const uri = formatDocumentUri(target);
        assert.deepEqual(parseDocumentUri(uri), target);
        assert.deepEqual(parseDocumentUri(URI.parse(uri).toString()), target);
      }),
    );
  });

  it('refuses other schemes and shapes', () => {
    assert.equal(parseDocumentUri('file:///a/b.prompt'), undefined);
    assert.equal(parseDocumentUri('promptforge://h/r/id'), undefined);
    assert.equal(parseDocumentUri('promptforge://h/id.prompt'), undefined);
  });
});

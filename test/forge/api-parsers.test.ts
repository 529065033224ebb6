/**
 * Property tests for what the forge parses from the outside: request paths, prompt URIs,
 * Authorization headers and forge.yaml. Whatever comes in, the answer is a value or a
 * clear 4xx / one-line config error — never a crash.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { KeyRing, generateKey, hashKey } from '../../forge/auth';
import { ConfigError, loadConfig } from '../../forge/config';
import { HttpError } from '../../forge/http/errors';
import { parseForgeUri } from '../../forge/http/promptUri';
import { Router } from '../../forge/http/router';
import { tempDir } from './apiServer';

const router = new Router<null>([
  { method: 'GET', path: '/api/v1/repos/:repo/prompts/:id/versions', role: 'read', handle: () => null },
  { method: 'PUT', path: '/api/v1/repos/:repo/prompts/:id/labels/:label', role: 'write', handle: () => null },
]);

function clientError(error: unknown): boolean {
  return error instanceof HttpError && error.status >= 400 && error.status < 500 && error.message.length > 0;
}

describe('forge input parsing (properties)', () => {
  it('routes any path to a match or a 4xx, decoding parameters exactly once', () => {
    const segment = fc.oneof(fc.string(), fc.constantFrom('%', '%2', '%zz', '%00', '..', '-x', '%2F', '@{1}'));
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD'), (parts, method) => {
        try {
          const { params } = router.match(method, '/' + parts.join('/'));
          for (const value of Object.values(params)) assert.equal(typeof value, 'string');
        } catch (error) {
          assert.ok(clientError(error), String(error));
        }
      }),
    );
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((s) => !s.includes('/')), (name) => {
        const { params } = router.match('GET', `/api/v1/repos/demo/prompts/${encodeURIComponent(name)}/versions`);
        assert.equal(params.id, name);
      }),
    );
  });

  it('parses any text as a prompt URI or answers 400 invalid_uri (missing_query when empty)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `prompt://${s}`), fc.webUrl().map((u) => u.replace(/^https?/, 'prompt'))), (text) => {
        try {
          const uri = parseForgeUri(text);
          assert.ok(uri.repo && uri.id);
        } catch (error) {
          assert.ok(error instanceof HttpError && error.status === 400 && error.code === (text === '' ? 'missing_query' : 'invalid_uri'), String(error));
        }
      }),
    );
  });

  it('authorizes any Authorization header as a known key or a 401', () => {
    const key = generateKey();
    const ring = new KeyRing([{ name: 'ci', role: 'write', hash: hashKey(key) }]);
    assert.deepEqual(ring.authorize(`Bearer ${key}`, 'write'), { name: 'ci', role: 'write' });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `Bearer ${s}`)), (header) => {
        try {
          ring.authorize(header, 'read');
          assert.equal(header.replace(/^Bearer\s+/i, '').trim(), key);
        } catch (error) {
          assert.ok(error instanceof HttpError && error.status === 401, String(error));
        }
      }),
    );
  });

  it('reads any forge.yaml into a config or one line naming the file', () => {
    const tmp = tempDir('pf-config-');
    try {
      const file = join(tmp.dir, 'forge.yaml');
      const value = fc.oneof(fc.string(), fc.integer(), fc.constantFrom('1mb', '-1', '70000', 'null', '[1, 2]', '{a: 1}', ':memory:'));
      const setting = fc.tuple(fc.constantFrom('listen', 'repos', 'keys', 'usage', 'bodyLimit', 'llm', 'other'), fc.dictionary(fc.constantFrom('host', 'port', 'demo', 'db', 'url', 'model', 'name'), value));
      const yamlish = fc.oneof(
        fc.string(),
        fc.array(setting, { maxLength: 4 }).map((items) => items.map(([key, inner]) => `${key}:\n${Object.entries(inner).map(([k, v]) => `  ${k}: ${String(v)}`).join('\n')}`).join('\n')),
      );
      fc.assert(
        fc.property(yamlish, (text) => {
          writeFileSync(file, text);
          try {
            loadConfig({ file, env: {}, cwd: tmp.dir });
          } catch (error) {
            assert.ok(error instanceof ConfigError, String(error));
            assert.ok(error.message.startsWith(file), error.message);
            assert.ok(!error.message.includes('\n'), `one line: ${error.message}`);
          }
        }),
        { numRuns: 200 },
      );
    } finally {
      tmp.cleanup();
    }
  });
});

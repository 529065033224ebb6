import assert from 'node:assert/strict';
import { errorCodes, errorKind, errorStatus, isErrorCode } from '../../core/errors';
import { rpcErrorCode, ErrorCodes } from '../../server/src/protocol';
import { typedError, PromptNotFoundError, PromptParamsError, PromptUriError } from '../../sdk/errors';

describe('error codes (core/errors.ts)', () => {
  it('are snake_case words only: diagnostic codes (kebab-case) are another namespace', () => {
    for (const code of errorCodes) assert.match(code, /^[a-z]+(?:_[a-z]+)*$/, code);
    assert.equal(isErrorCode('invalid-version'), false);
    assert.equal(isErrorCode('conflict'), false);
  });

  it('hold the codes other parts of the product send', () => {
    for (const code of ['invalid_label', 'ref_locked', 'invalid_message', 'misdirected_host', 'origin_not_allowed', 'missing_query', 'invalid_batch', 'unknown_field', 'read_only_replica', 'gate_failed']) {
      assert.ok(isErrorCode(code), code);
    }
  });

  it('give each kind a status the forge, the SDK and the language server agree on', () => {
    for (const code of errorCodes) {
      const status = errorStatus(code);
      const kind = errorKind(code);
      if (kind === 'conflict') assert.equal(status, 409, code);
      if (kind === 'not_found') assert.equal(status, 404, code);
      if (kind === 'unauthorized') assert.ok(status === 401 || status === 403, code);
      if (kind === 'failed') assert.ok(status >= 500, code);
    }
    assert.equal(rpcErrorCode('label_conflict'), ErrorCodes.Conflict);
    assert.equal(rpcErrorCode('branch_conflict'), ErrorCodes.Conflict);
    assert.equal(rpcErrorCode('version_not_found'), ErrorCodes.NotFound);
    assert.equal(rpcErrorCode('unreachable'), ErrorCodes.HostUnreachable);
  });

  it('map onto the SDK error classes in one place', () => {
    assert.ok(typedError('version_not_found', 'x', 'prompt://h/r/i') instanceof PromptNotFoundError);
    assert.ok(typedError('missing_param', 'x', 'prompt://h/r/i') instanceof PromptParamsError);
    assert.ok(typedError('invalid_uri', 'x', 'prompt://h/r/i') instanceof PromptUriError);
    assert.equal(typedError('git_failed', 'x', 'prompt://h/r/i'), undefined, 'a failing forge lets a fallback serve');
  });
});

import { strict as assert } from 'node:assert';
import { StoreError } from '../../../forge/store';

/** Awaits `promise`, asserting it fails with a StoreError of `code`; returns that error. */
export async function rejects(promise: Promise<unknown>, code: string): Promise<StoreError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof StoreError, `expected a StoreError, got ${error}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}`);
}

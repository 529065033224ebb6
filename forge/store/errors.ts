/**
 * The one error type the store throws. `code` is one of core's error codes, which the
 * HTTP layer passes through unchanged; `status` follows from the code (core/errors.ts).
 */
import { errorStatus, type ErrorCode } from '../../core/errors';

export type { ErrorCode as StoreErrorCode };

export class StoreError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'StoreError';
    this.status = errorStatus(code);
  }
}

export function isStoreError(error: unknown): error is StoreError {
  return error instanceof StoreError;
}

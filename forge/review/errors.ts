/** Errors of the review feature, with one of core's codes and the HTTP status that follows from it. */
import { errorStatus, type ErrorCode } from '../../core/errors';

export class ReviewError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ReviewError';
    this.status = errorStatus(code);
  }
}

/** Errors of the review feature, with one of core's codes and the HTTP status that follows from it. */
import { errorStatus, type ErrorCode } from '../../core/errors';

export class ReviewError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** What the model endpoint answered, when it answered an error: decides whether a retry can help. */
    readonly upstream?: { status: number; retryAfter?: number },
  ) {
    super(message);
    this.name = 'ReviewError';
    this.status = errorStatus(code);
  }
}

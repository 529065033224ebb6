/** Errors of the review feature, with a stable `code` and the HTTP status that fits. */
export class ReviewError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** What the model endpoint answered, when it answered an error: decides whether a retry can help. */
    readonly upstream?: { status: number; retryAfter?: number },
  ) {
    super(message);
    this.name = 'ReviewError';
  }
}

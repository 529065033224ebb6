/** Errors of the review feature, with a stable `code` and the HTTP status that fits. */
export class ReviewError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ReviewError';
  }
}

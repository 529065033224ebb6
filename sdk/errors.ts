/**
 * Typed errors of `promptforge/sdk`. Apps branch on the class (or on `code`, one of
 * core's error codes); the message always names the prompt reference and what was
 * wrong with it.
 */
import { errorKind, unhandled, type ErrorCode } from '../core/errors';

export type { ErrorCode };

export class PromptForgeError extends Error {
  constructor(
    /** A stable machine word, e.g. `invalid_uri`, `version_not_found`. */
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The forge answered with an error (`{"error":{"code","message"}}`). */
export class ForgeApiError extends PromptForgeError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
    /** `METHOD /path` of the request that failed. */
    readonly request: string,
  ) {
    super(code, message);
  }
}

/** The forge could not be reached, or did not answer in time. */
export class ForgeUnreachableError extends PromptForgeError {
  constructor(
    readonly url: string,
    /** Why, in a few words: `connection refused`, `timed out after 2000 ms`. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('unreachable', `forge at ${url} is unreachable (${reason})`, options);
  }
}

/** The reference is not a valid prompt URI or short reference. */
export class PromptUriError extends PromptForgeError {
  constructor(
    readonly ref: string,
    detail: string,
    code: ErrorCode = 'invalid_uri',
  ) {
    super(code, `invalid prompt reference "${ref}": ${detail}`);
  }
}

/** The repo, prompt or version does not exist. */
export class PromptNotFoundError extends PromptForgeError {
  constructor(
    readonly uri: string,
    detail: string,
    code: ErrorCode = 'prompt_not_found',
  ) {
    super(code, `${uri}: ${detail}`);
  }
}

/** Params are missing, unknown, or of the wrong type. */
export class PromptParamsError extends PromptForgeError {
  constructor(
    readonly uri: string,
    detail: string,
    code: ErrorCode = 'invalid_params',
    /** The offending parameter, when one is to blame. */
    readonly param?: string,
  ) {
    super(code, `${uri}: ${detail}`);
  }
}

/** Nothing could supply the prompt: the message lists every source tried and why it failed. */
export class PromptUnavailableError extends PromptForgeError {
  constructor(
    readonly uri: string,
    readonly tried: string[],
    options?: { cause?: unknown },
  ) {
    super('unavailable', `${uri} is unavailable; tried ${tried.join('; ')}`, options);
  }
}

/**
 * The typed error for a definite answer about `uri` (the forge's or an embedded store's),
 * or undefined when the answer says the forge failed, so a fallback may serve instead.
 */
export function typedError(code: ErrorCode, message: string, uri: string): PromptForgeError | undefined {
  const kind = errorKind(code);
  switch (kind) {
    case 'not_found':
      return new PromptNotFoundError(uri, message, code);
    case 'params':
    case 'prompt':
      return new PromptParamsError(uri, message, code);
    case 'invalid':
    case 'conflict':
      return new PromptUriError(uri, message, code);
    // A refused key is the deployment's problem, not the reference's: serve what is cached.
    case 'unauthorized':
    case 'unreachable':
    case 'failed':
      return undefined;
    default:
      return unhandled(kind);
  }
}

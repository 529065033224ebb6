// Errors from the server's custom requests carry core's error code (`label_conflict`,
// `invalid_prompt`, …) in their data; commands react to its kind.
// The protocol package's class is the one vscode-languageclient throws; importing it here keeps this file free of vscode, so tests run it.
import { ResponseError } from 'vscode-languageserver-protocol';
import { errorKind, isErrorCode, unhandled, type ErrorCode, type ErrorKind } from '../../core/errors';

export function errorCode(error: unknown): ErrorCode | undefined {
  if (error instanceof ResponseError) {
    const code = (error.data as { code?: unknown } | undefined)?.code;
    return isErrorCode(code) ? code : undefined;
  }
  return undefined;
}

/** What the user can do about a failed request, or undefined when it carries no code. */
export function errorKindOf(error: unknown): ErrorKind | undefined {
  const code = errorCode(error);
  return code === undefined ? undefined : errorKind(code);
}

/**
 * True when someone else moved the label or branch first, so the user should compare
 * and retry; every other kind is reported as it is. Exhaustive: a new kind must be placed.
 */
export function isConflict(error: unknown): boolean {
  const kind = errorKindOf(error);
  switch (kind) {
    case 'conflict':
      return true;
    case 'not_found':
    case 'invalid':
    case 'params':
    case 'prompt':
    case 'unauthorized':
    case 'unreachable':
    case 'failed':
    case undefined:
      return false;
    default:
      return unhandled(kind);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

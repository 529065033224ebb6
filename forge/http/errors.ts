/**
 * API errors: one JSON shape `{"error":{"code","message"}}` with a stable machine word,
 * whatever threw. Every code is core's (core/errors.ts) and its status comes from there;
 * anything unexpected becomes a 500 `internal_error` whose details stay in the server
 * log, never on the wire.
 */
import { errorStatus, type ErrorCode } from '../../core/errors';
import { isStoreError } from '../store';
import { ReviewError } from '../review/errors';
import { UsageBatchError } from '../usage/event';

export class HttpError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = errorStatus(code);
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; [extra: string]: unknown };
}

/** The status and body an error answers with; `internal` is true when it must be logged. */
export function errorResponse(error: unknown): { status: number; body: ErrorBody; headers: Record<string, string>; internal: boolean } {
  if (error instanceof HttpError) {
    return { status: error.status, body: { error: { code: error.code, message: error.message, ...error.details } }, headers: error.headers, internal: false };
  }
  if (isStoreError(error)) {
    const internal = error.status >= 500;
    const message = internal ? 'the repository could not be read or written; see the forge log' : error.message;
    return { status: error.status, body: { error: { code: error.code, message, ...publicDetails(error.details) } }, headers: {}, internal };
  }
  if (error instanceof UsageBatchError || error instanceof ReviewError) {
    return { status: error.status, body: { error: { code: error.code, message: error.message } }, headers: {}, internal: false };
  }
  return { status: 500, body: { error: { code: 'internal_error', message: 'the forge failed to answer this request; see its log' } }, headers: {}, internal: true };
}

/** Store details worth showing: prompt problems with positions, conflict shas. */
function publicDetails(details: unknown): Record<string, unknown> {
  if (typeof details !== 'object' || details === null) return {};
  const out: Record<string, unknown> = {};
  for (const key of ['problems', 'current', 'expected', 'candidates', 'param', 'params', 'ref', 'lock', 'limit']) {
    const value = (details as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

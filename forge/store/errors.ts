/**
 * The one error type the store throws. `code` is a stable machine word that the HTTP
 * layer passes through unchanged; `status` is the HTTP status that fits it.
 */
export type StoreErrorCode =
  | 'invalid_name'
  | 'invalid_version'
  | 'invalid_path'
  | 'invalid_message'
  | 'invalid_prompt'
  | 'invalid_label'
  | 'invalid_params'
  | 'render_failed'
  | 'partial_cycle'
  | 'unknown_partial'
  | 'undeclared_param'
  | 'prompt_not_found'
  | 'version_not_found'
  | 'label_not_found'
  | 'repo_not_found'
  | 'ambiguous_version'
  | 'label_conflict'
  | 'branch_conflict'
  | 'prompt_exists'
  | 'release_exists'
  | 'ref_locked'
  | 'git_failed';

const statusOf: Record<StoreErrorCode, number> = {
  invalid_name: 400,
  invalid_version: 400,
  invalid_path: 400,
  invalid_message: 400,
  invalid_prompt: 422,
  invalid_label: 422,
  invalid_params: 422,
  render_failed: 422,
  /** A write that would leave a prompt unrenderable: the problem's own code. */
  partial_cycle: 422,
  unknown_partial: 422,
  undeclared_param: 422,
  prompt_not_found: 404,
  version_not_found: 404,
  label_not_found: 404,
  repo_not_found: 404,
  ambiguous_version: 400,
  label_conflict: 409,
  branch_conflict: 409,
  prompt_exists: 409,
  release_exists: 409,
  /** A leftover `*.lock` file blocks a ref: retrying cannot help until it is removed. */
  ref_locked: 423,
  git_failed: 500,
};

export class StoreError extends Error {
  readonly status: number;

  constructor(
    readonly code: StoreErrorCode | (string & {}),
    message: string,
    readonly details?: unknown,
    status?: number,
  ) {
    super(message);
    this.name = 'StoreError';
    this.status = status ?? statusOf[code as StoreErrorCode] ?? 400;
  }
}

export function isStoreError(error: unknown): error is StoreError {
  return error instanceof StoreError;
}

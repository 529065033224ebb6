/**
 * The one error type the store throws. `code` is a stable machine word that the HTTP
 * layer passes through unchanged; `status` is the HTTP status that fits it.
 */
import type { ExperimentErrorCode } from '../../core/experiments/definition';

export type StoreErrorCode =
  | 'invalid_name'
  | 'invalid_version'
  | 'invalid_path'
  | 'invalid_prompt'
  | 'invalid_params'
  | 'render_failed'
  | 'prompt_not_found'
  | 'version_not_found'
  | 'label_not_found'
  | 'repo_not_found'
  | 'ambiguous_version'
  | 'label_conflict'
  | 'branch_conflict'
  | 'prompt_exists'
  | 'release_exists'
  | 'git_failed'
  // experiments (DESIGN §7)
  | 'experiment_not_found'
  | 'experiment_conflict'
  | 'variant_not_found'
  | ExperimentErrorCode;

const statusOf: Record<StoreErrorCode, number> = {
  invalid_name: 400,
  invalid_version: 400,
  invalid_path: 400,
  invalid_prompt: 422,
  invalid_params: 422,
  render_failed: 422,
  prompt_not_found: 404,
  version_not_found: 404,
  label_not_found: 404,
  repo_not_found: 404,
  ambiguous_version: 400,
  label_conflict: 409,
  branch_conflict: 409,
  prompt_exists: 409,
  release_exists: 409,
  git_failed: 500,
  experiment_not_found: 404,
  experiment_conflict: 409,
  variant_not_found: 404,
  invalid_experiment: 400,
  invalid_variants: 400,
  invalid_weights: 400,
  invalid_coverage: 400,
  invalid_guardrail: 400,
  invalid_min_calls: 400,
  invalid_seed: 400,
  variant_is_control: 400,
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

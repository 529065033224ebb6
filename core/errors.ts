/**
 * Every error code Prompt Forge puts on the wire or reads back: the forge (store, HTTP,
 * usage, review), the SDK and the language server. One table gives each code its HTTP
 * status and what a user can do about it (its kind), so the forge's status, the SDK's
 * error class, the server's JSON-RPC error and the extension's reaction all follow from
 * the code and cannot disagree. Codes are snake_case; diagnostic codes (the kebab-case
 * `lint.<rule>` names of the language server) are a separate namespace.
 *
 * Core parsers report problems with these codes too, because a problem found while
 * rendering becomes the error the forge answers with (`missing_param`, `partial_cycle`).
 */

/** What a user can do about an error. */
export type ErrorKind =
  /** The repo, prompt, version or label does not exist. */
  | 'not_found'
  /** Someone else moved the label or branch first: reload, compare, retry. */
  | 'conflict'
  /** The request or reference is wrong: fix it. */
  | 'invalid'
  /** The params given do not fit the prompt's schema. */
  | 'params'
  /** The stored prompt cannot render, or the file sent is not a valid prompt. */
  | 'prompt'
  /** A key is missing, wrong, or lacks the role. */
  | 'unauthorized'
  /** The forge (or what it relies on) could not be reached or did not answer usefully. */
  | 'unreachable'
  /** The forge failed; its log says why. */
  | 'failed';

type Entry = readonly [status: number, kind: ErrorKind];

const table = {
  // Requests and references
  invalid_uri: [400, 'invalid'],
  invalid_query: [400, 'invalid'],
  missing_query: [400, 'invalid'],
  missing_field: [400, 'invalid'],
  invalid_field: [400, 'invalid'],
  unknown_field: [400, 'invalid'],
  invalid_json: [400, 'invalid'],
  invalid_path: [400, 'invalid'],
  invalid_name: [400, 'invalid'],
  invalid_message: [400, 'invalid'],
  invalid_version: [400, 'invalid'],
  ambiguous_version: [400, 'invalid'],
  unknown_host: [404, 'not_found'],
  route_not_found: [404, 'invalid'],
  method_not_allowed: [405, 'invalid'],
  payload_too_large: [413, 'invalid'],
  unsupported_media_type: [415, 'invalid'],
  misdirected_host: [421, 'invalid'],
  read_only_replica: [421, 'invalid'],
  not_a_replica: [404, 'not_found'],
  fetch_failed: [502, 'unreachable'],
  invalid_label: [422, 'invalid'],
  // URI grammar (core/uri.ts)
  invalid_scheme: [400, 'invalid'],
  invalid_host: [400, 'invalid'],
  missing_host: [400, 'invalid'],
  missing_repo: [400, 'invalid'],
  missing_id: [400, 'invalid'],
  invalid_param: [400, 'invalid'],
  duplicate_param: [400, 'invalid'],
  invalid_encoding: [400, 'invalid'],
  invalid_fragment: [400, 'invalid'],
  too_long: [400, 'invalid'],
  // Params given to a render
  missing_param: [400, 'params'],
  unknown_param: [400, 'params'],
  invalid_param_value: [400, 'params'],
  invalid_params: [422, 'params'],
  // The prompt file and its template (core/promptFile.ts, core/template.ts)
  invalid_prompt: [422, 'prompt'],
  render_failed: [422, 'prompt'],
  invalid_yaml: [422, 'prompt'],
  invalid_front_matter: [422, 'prompt'],
  unclosed_front_matter: [422, 'prompt'],
  unknown_key: [422, 'prompt'],
  invalid_type: [422, 'prompt'],
  invalid_description: [422, 'prompt'],
  invalid_model: [422, 'prompt'],
  invalid_status: [422, 'prompt'],
  invalid_tags: [422, 'prompt'],
  empty_tag: [422, 'prompt'],
  invalid_param_name: [422, 'prompt'],
  invalid_param_schema: [422, 'prompt'],
  unknown_param_key: [422, 'prompt'],
  undeclared_param: [422, 'prompt'],
  unused_param: [422, 'prompt'],
  unclosed_tag: [422, 'prompt'],
  unclosed_section: [422, 'prompt'],
  unopened_section: [422, 'prompt'],
  mismatched_section: [422, 'prompt'],
  invalid_delimiters: [422, 'prompt'],
  nesting_too_deep: [422, 'prompt'],
  unknown_partial: [422, 'prompt'],
  partial_cycle: [422, 'prompt'],
  duplicate_id: [422, 'prompt'],
  dynamic_partial: [422, 'prompt'],
  // Test suites (core/testSuite): ID.test.yaml problems, and runs on the forge
  invalid_suite: [422, 'invalid'],
  invalid_test: [422, 'invalid'],
  invalid_vars: [422, 'invalid'],
  invalid_assert: [422, 'invalid'],
  unknown_assertion: [422, 'invalid'],
  invalid_weight: [422, 'invalid'],
  invalid_threshold: [422, 'invalid'],
  invalid_target: [422, 'invalid'],
  invalid_value: [422, 'invalid'],
  invalid_regex: [422, 'invalid'],
  ignored_key: [422, 'invalid'],
  suite_not_found: [404, 'not_found'],
  tests_not_run: [404, 'not_found'],
  // Experiments (core/experiments, DESIGN §7)
  experiment_not_found: [404, 'not_found'],
  variant_not_found: [404, 'not_found'],
  experiment_conflict: [409, 'conflict'],
  invalid_experiment: [400, 'invalid'],
  invalid_variants: [400, 'invalid'],
  invalid_weights: [400, 'invalid'],
  invalid_coverage: [400, 'invalid'],
  invalid_guardrail: [400, 'invalid'],
  invalid_min_calls: [400, 'invalid'],
  invalid_seed: [400, 'invalid'],
  variant_is_control: [400, 'invalid'],
  invalid_variant: [400, 'invalid'],
  // The web console (forge/http/routes/console.ts)
  console_not_built: [503, 'failed'],
  asset_not_found: [404, 'not_found'],
  keys_not_enabled: [400, 'invalid'],
  // Promotion policy and requests (core/policy.ts, forge/governance)
  invalid_policy: [422, 'invalid'],
  request_not_found: [404, 'not_found'],
  approval_refused: [403, 'unauthorized'],
  already_approved: [409, 'conflict'],
  request_closed: [409, 'conflict'],
  request_conflict: [409, 'conflict'],
  // Not there
  repo_not_found: [404, 'not_found'],
  prompt_not_found: [404, 'not_found'],
  version_not_found: [404, 'not_found'],
  label_not_found: [404, 'not_found'],
  // Someone else was first
  label_conflict: [409, 'conflict'],
  branch_conflict: [409, 'conflict'],
  prompt_exists: [409, 'conflict'],
  release_exists: [409, 'conflict'],
  ref_locked: [409, 'conflict'],
  gate_failed: [409, 'conflict'],
  // Keys and origins
  unauthorized: [401, 'unauthorized'],
  forbidden: [403, 'unauthorized'],
  origin_not_allowed: [403, 'unauthorized'],
  // Usage events (forge/usage): the batch, then each event
  invalid_batch: [400, 'invalid'],
  batch_too_large: [413, 'invalid'],
  invalid_event: [400, 'invalid'],
  invalid_repo: [400, 'invalid'],
  invalid_id: [400, 'invalid'],
  invalid_sha: [400, 'invalid'],
  unpinned_uri: [400, 'invalid'],
  invalid_at: [400, 'invalid'],
  at_in_future: [400, 'invalid'],
  at_too_old: [400, 'invalid'],
  invalid_consent: [400, 'invalid'],
  consent_required: [400, 'invalid'],
  invalid_tracking_id: [400, 'invalid'],
  invalid_success: [400, 'invalid'],
  invalid_latency_ms: [400, 'invalid'],
  invalid_input_tokens: [400, 'invalid'],
  invalid_output_tokens: [400, 'invalid'],
  invalid_feedback: [400, 'invalid'],
  invalid_input: [400, 'invalid'],
  invalid_output: [400, 'invalid'],
  sample_too_large: [400, 'invalid'],
  invalid_metadata: [400, 'invalid'],
  metadata_too_large: [400, 'invalid'],
  unknown_prompt: [400, 'invalid'],
  usage_unavailable: [503, 'unreachable'],
  // Reviews (forge/review)
  invalid_draft: [400, 'invalid'],
  llm_not_configured: [503, 'invalid'],
  llm_unavailable: [502, 'unreachable'],
  llm_failed: [502, 'failed'],
  // The model answered, but not with a review: nothing to retry against another host.
  bad_llm_output: [502, 'invalid'],
  // The forge failed, or could not be reached (SDK and language server)
  git_failed: [500, 'failed'],
  internal_error: [500, 'failed'],
  invalid_response: [502, 'unreachable'],
  unreachable: [503, 'unreachable'],
  unavailable: [503, 'unreachable'],
} as const satisfies Record<string, Entry>;

export type ErrorCode = keyof typeof table;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(table, value);
}

/** The HTTP status the forge answers a code with. */
export function errorStatus(code: ErrorCode): number {
  return table[code][0];
}

export function errorKind(code: ErrorCode): ErrorKind {
  return table[code][1];
}

/** Every code, for tests and documentation. */
export const errorCodes = Object.keys(table) as ErrorCode[];

/** Makes a `switch` over a union fail to compile when a member is left out. */
export function unhandled(value: never): never {
  throw new Error(`unhandled case ${JSON.stringify(value)}`);
}

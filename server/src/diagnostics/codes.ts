/**
 * Stable diagnostic codes. Each is also the name of its `lint.<rule>` setting, the key
 * code actions are matched by, and what tests assert on. Never rename one.
 */
export enum DiagnosticCode {
  InvalidUri = 'invalid-uri',
  UnknownHost = 'unknown-host',
  UnknownRepo = 'unknown-repo',
  UnknownPrompt = 'unknown-prompt',
  InvalidVersion = 'invalid-version',
  VersionNotFound = 'version-not-found',
  AmbiguousVersion = 'ambiguous-version',
  MissingParam = 'missing-param',
  UnknownParam = 'unknown-param',
  InvalidParamValue = 'invalid-param-value',
  DuplicateParam = 'duplicate-param',
  Deprecated = 'deprecated',
  Unpinned = 'unpinned',
  HostUnreachable = 'host-unreachable',
  // `.prompt` files
  InvalidFrontMatter = 'invalid-front-matter',
  UndeclaredParam = 'undeclared-param',
  UnusedParam = 'unused-param',
  UnknownPartial = 'unknown-partial',
  PartialCycle = 'partial-cycle',
}

export type LintSeverity = 'ignore' | 'info' | 'warning' | 'error';

/** Severity of each rule when `lint.<rule>` is not set. */
export const defaultLintSeverity: Record<DiagnosticCode, LintSeverity> = {
  [DiagnosticCode.InvalidUri]: 'error',
  [DiagnosticCode.UnknownHost]: 'error',
  [DiagnosticCode.UnknownRepo]: 'error',
  [DiagnosticCode.UnknownPrompt]: 'error',
  [DiagnosticCode.InvalidVersion]: 'error',
  [DiagnosticCode.VersionNotFound]: 'error',
  [DiagnosticCode.AmbiguousVersion]: 'error',
  [DiagnosticCode.MissingParam]: 'error',
  [DiagnosticCode.UnknownParam]: 'warning',
  [DiagnosticCode.InvalidParamValue]: 'error',
  [DiagnosticCode.DuplicateParam]: 'error',
  [DiagnosticCode.Deprecated]: 'warning',
  [DiagnosticCode.Unpinned]: 'ignore',
  [DiagnosticCode.HostUnreachable]: 'warning',
  [DiagnosticCode.InvalidFrontMatter]: 'error',
  [DiagnosticCode.UndeclaredParam]: 'warning',
  [DiagnosticCode.UnusedParam]: 'warning',
  [DiagnosticCode.UnknownPartial]: 'error',
  [DiagnosticCode.PartialCycle]: 'error',
};

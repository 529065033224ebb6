import { DiagnosticCode } from './codes';
import type { Finding } from './finding';
import type { ReferenceFacts } from '../index/lookup';

/** The forge's error code for a failed resolve → the diagnostic (and lint setting) that reports it. */
const codes = {
  invalid_version: DiagnosticCode.InvalidVersion,
  version_not_found: DiagnosticCode.VersionNotFound,
  ambiguous_version: DiagnosticCode.AmbiguousVersion,
} as const;

/**
 * invalid-version, version-not-found and ambiguous-version: the three ways a version
 * spec fails to resolve, reported on the version as written.
 */
export function versionProblem({ resolution, ref }: ReferenceFacts): Finding[] {
  if (!resolution || resolution.ok) return [];
  const part = ref.version ?? ref.id!;
  const candidates = resolution.code === 'version_not_found' && resolution.candidates?.length ? `; known: ${resolution.candidates.slice(0, 8).join(', ')}` : '';
  return [{ code: codes[resolution.code], message: resolution.message + candidates, start: part.start, end: part.end }];
}

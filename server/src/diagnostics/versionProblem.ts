import { DiagnosticCode } from './codes';
import type { Finding } from './finding';
import type { ReferenceFacts } from '../index/lookup';

const codes = {
  'invalid-version': DiagnosticCode.InvalidVersion,
  'version-not-found': DiagnosticCode.VersionNotFound,
  'ambiguous-version': DiagnosticCode.AmbiguousVersion,
} as const;

/**
 * invalid-version, version-not-found and ambiguous-version: the three ways a version
 * spec fails to resolve, reported on the version as written.
 */
export function versionProblem({ resolution, ref }: ReferenceFacts): Finding[] {
  if (!resolution || resolution.ok) return [];
  const part = ref.version ?? ref.id!;
  const candidates = resolution.code === 'version-not-found' && resolution.candidates?.length ? `; known: ${resolution.candidates.slice(0, 8).join(', ')}` : '';
  return [{ code: codes[resolution.code], message: resolution.message + candidates, start: part.start, end: part.end }];
}

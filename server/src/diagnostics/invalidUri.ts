import { DiagnosticCode } from './codes';
import type { Finding } from './finding';
import type { ReferenceFacts } from '../index/lookup';

/** Malformed references: missing parts, bad characters, broken percent-encoding. */
export function invalidUri({ ref }: ReferenceFacts): Finding[] {
  return ref.problems.filter((p) => p.code === 'invalid-uri').map((p) => ({ code: DiagnosticCode.InvalidUri, message: p.message, start: p.start, end: p.end }));
}

import { DiagnosticCode } from './codes';
import type { Finding } from './finding';
import type { ReferenceFacts } from '../index/lookup';

/** A parameter named twice in one query: which value wins would be a guess. */
export function duplicateParam({ ref }: ReferenceFacts): Finding[] {
  return ref.problems.filter((p) => p.code === 'duplicate-param').map((p) => ({ code: DiagnosticCode.DuplicateParam, message: p.message, start: p.start, end: p.end }));
}

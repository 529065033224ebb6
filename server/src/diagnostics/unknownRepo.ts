import { DiagnosticCode } from './codes';
import type { Finding } from './finding';
import { closest } from '../../../core/suggest';
import type { ReferenceFacts } from '../index/lookup';

/** A repo the host does not have (judged only once the host has data). */
export function unknownRepo({ target, host, repo, known, ref }: ReferenceFacts): Finding[] {
  if (!target || !host || repo || !known || !ref.repo) return [];
  const suggestion = closest(target.repo, host.repos.keys());
  const hint = suggestion ? `; did you mean "${suggestion}"?` : `; it has ${[...host.repos.keys()].join(', ') || 'no repos'}`;
  return [{ code: DiagnosticCode.UnknownRepo, message: `host "${host.name}" has no repo "${target.repo}"${hint}`, start: ref.repo.start, end: Math.max(ref.repo.end, ref.repo.start), ...(suggestion ? { data: { suggestion } } : {}) }];
}

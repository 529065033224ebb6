import { DiagnosticCode } from './codes';
import type { Finding } from './finding';
import { closest } from '../../../core/suggest';
import type { ReferenceFacts } from '../index/lookup';

/** A prompt id the repo does not have, with the closest id as a suggestion. */
export function unknownPrompt({ target, repo, prompt, ref }: ReferenceFacts): Finding[] {
  if (!target || !repo || prompt || !ref.id) return [];
  const suggestion = closest(target.id, repo.prompts.keys());
  const hint = suggestion ? `; did you mean "${suggestion}"?` : '';
  return [{ code: DiagnosticCode.UnknownPrompt, message: `repo "${repo.name}" has no prompt "${target.id}"${hint}`, start: ref.id.start, end: ref.id.end, ...(suggestion ? { data: { suggestion } } : {}) }];
}

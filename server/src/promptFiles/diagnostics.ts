/**
 * Diagnostics of a `.prompt` file: core's checks (the forge's editor check route runs the
 * same ones), with the codes as the server's `DiagnosticCode`s.
 */
import { checkPromptFile } from '../../../core/promptCheck';
import type { DiagnosticCode } from '../diagnostics/codes';
import type { Finding } from '../diagnostics/finding';
import type { PromptFileDocument } from './promptFileDocument';

export function promptFileFindings(doc: PromptFileDocument): Finding[] {
  // Core's codes are the DiagnosticCode values of the `.prompt` rules.
  return checkPromptFile(doc.id, doc.file, doc.problems, (id) => doc.lookup(id)).map((f) => ({ ...f, code: f.code as DiagnosticCode }));
}

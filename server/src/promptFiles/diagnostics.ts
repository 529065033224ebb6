/**
 * Diagnostics of a `.prompt` file: front matter problems, params used but not declared
 * or declared but not used, partials that name no prompt, and partial cycles.
 */
import { paramUsageProblems, templatePartials } from '../../../core/template';
import { DiagnosticCode } from '../diagnostics/codes';
import type { Finding } from '../diagnostics/finding';
import type { PromptFileDocument } from './promptFileDocument';

export function promptFileFindings(doc: PromptFileDocument): Finding[] {
  const findings: Finding[] = doc.problems.map((p) => ({ code: DiagnosticCode.InvalidFrontMatter, message: p.message, start: p.range.start, end: p.range.end }));
  for (const p of paramUsageProblems(doc.file, (id) => doc.lookup(id))) {
    const code = p.code === 'unused_param' ? DiagnosticCode.UnusedParam : DiagnosticCode.UndeclaredParam;
    findings.push({ code, message: p.message, start: p.range.start, end: p.range.end });
  }
  for (const partial of templatePartials(doc.file.body)) {
    const start = partial.range.start + doc.file.bodyStart;
    const end = partial.range.end + doc.file.bodyStart;
    if (!doc.lookup(partial.id)) {
      findings.push({ code: DiagnosticCode.UnknownPartial, message: `no prompt "${partial.id}" in this repo to include`, start, end });
      continue;
    }
    const cycle = cycleThrough(doc, partial.id);
    if (cycle) findings.push({ code: DiagnosticCode.PartialCycle, message: `including "${partial.id}" loops: ${[doc.id, ...cycle].join(' → ')}`, start, end });
  }
  return findings;
}

/** The include path from `first` back to this prompt, if there is one. */
function cycleThrough(doc: PromptFileDocument, first: string): string[] | undefined {
  const seen = new Set<string>();
  const walk = (id: string, path: string[]): string[] | undefined => {
    if (id === doc.id) return [...path, id];
    if (seen.has(id)) return undefined;
    seen.add(id);
    const file = doc.lookup(id);
    for (const next of file ? templatePartials(file.body) : []) {
      const found = walk(next.id, [...path, id]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(first, []);
}

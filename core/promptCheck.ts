/**
 * The checks of a `.prompt` file that the language server shows and the web console's
 * editor asks the forge for: front matter problems, params used but not declared or
 * declared but not used, partials that name no prompt, and partial cycles. One rule in
 * one place: both call this, so the codes and messages are the same everywhere.
 */
import type { PromptFile } from './promptFile';
import { paramUsageProblems, templatePartials } from './template';
import type { Problem } from './text';

export type PromptFileCheckCode = 'invalid-front-matter' | 'undeclared-param' | 'unused-param' | 'unknown-partial' | 'partial-cycle';

export interface PromptFileFinding {
  code: PromptFileCheckCode;
  message: string;
  /** Offsets into the file's text. */
  start: number;
  end: number;
}

/** Severity of each check when no setting changes it (the editor's `lint.<rule>` defaults). */
export const PROMPT_FILE_CHECK_SEVERITY: Record<PromptFileCheckCode, 'error' | 'warning'> = {
  'invalid-front-matter': 'error',
  'undeclared-param': 'warning',
  'unused-param': 'warning',
  'unknown-partial': 'error',
  'partial-cycle': 'error',
};

/**
 * Every finding for the prompt `id` parsed as `file` (with the parser's `problems`);
 * `lookup` gives another prompt of the same repo by id.
 */
export function checkPromptFile(id: string, file: PromptFile, problems: Problem[], lookup: (id: string) => PromptFile | undefined): PromptFileFinding[] {
  const findings: PromptFileFinding[] = problems.map((p) => ({ code: 'invalid-front-matter', message: p.message, start: p.range.start, end: p.range.end }));
  for (const p of paramUsageProblems(file, lookup)) {
    findings.push({ code: p.code === 'unused_param' ? 'unused-param' : 'undeclared-param', message: p.message, start: p.range.start, end: p.range.end });
  }
  for (const partial of templatePartials(file.body)) {
    const start = partial.range.start + file.bodyStart;
    const end = partial.range.end + file.bodyStart;
    if (!lookup(partial.id)) {
      findings.push({ code: 'unknown-partial', message: `no prompt "${partial.id}" in this repo to include`, start, end });
      continue;
    }
    const cycle = cycleThrough(id, lookup, partial.id);
    if (cycle) findings.push({ code: 'partial-cycle', message: `including "${partial.id}" loops: ${[id, ...cycle].join(' → ')}`, start, end });
  }
  return findings;
}

/** The include path from `first` back to the prompt `self`, if there is one. */
function cycleThrough(self: string, lookup: (id: string) => PromptFile | undefined, first: string): string[] | undefined {
  const seen = new Set<string>();
  const walk = (id: string, path: string[]): string[] | undefined => {
    if (id === self) return [...path, id];
    if (seen.has(id)) return undefined;
    seen.add(id);
    const file = lookup(id);
    for (const next of file ? templatePartials(file.body) : []) {
      const found = walk(next.id, [...path, id]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(first, []);
}

import { DiagnosticCode } from './codes';
import type { Finding } from './finding';
import { closest } from '../../../core/suggest';
import type { ReferenceFacts } from '../index/lookup';

/** Query params the prompt does not declare, with the closest declared name. */
export function unknownParam({ prompt, ref }: ReferenceFacts): Finding[] {
  if (!prompt) return [];
  const declared = Object.keys(prompt.params);
  return ref.params
    .filter((p) => !(p.name.value in prompt.params))
    .map((p) => {
      const given = new Set(ref.params.map((q) => q.name.value));
      const suggestion = closest(p.name.value, declared.filter((d) => !given.has(d)));
      const hint = suggestion ? `; did you mean "${suggestion}"?` : declared.length ? `; it takes ${declared.join(', ')}` : '; it takes no parameters';
      return { code: DiagnosticCode.UnknownParam, message: `prompt "${prompt.id}" has no parameter "${p.name.value}"${hint}`, start: p.name.start, end: p.value?.end ?? p.name.end, ...(suggestion ? { data: { suggestion } } : {}) };
    });
}

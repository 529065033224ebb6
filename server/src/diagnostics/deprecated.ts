import { DiagnosticCode } from './codes';
import type { Finding } from './finding';
import type { ReferenceFacts } from '../index/lookup';

/** References to a prompt whose front matter says `status: deprecated`. */
export function deprecated({ prompt, ref }: ReferenceFacts): Finding[] {
  if (!prompt || prompt.status !== 'deprecated') return [];
  const why = prompt.description ? ` (${prompt.description})` : '';
  return [{ code: DiagnosticCode.Deprecated, message: `prompt "${prompt.id}" is deprecated${why}`, start: ref.id!.start, end: ref.id!.end }];
}

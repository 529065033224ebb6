import { DiagnosticCode } from './codes';
import type { Finding } from './finding';
import { placeholderFor } from './params';
import type { ReferenceFacts } from '../index/lookup';

/**
 * Required parameters without a value and without a default. Only full URIs carry
 * params; short refs in SDK calls pass them as arguments, which cannot be seen here.
 */
export function missingParam({ prompt, ref }: ReferenceFacts): Finding[] {
  if (!prompt || ref.kind !== 'uri') return [];
  const given = new Set(ref.params.map((p) => p.name.value));
  const missing = Object.entries(prompt.params).filter(([name, spec]) => spec?.required && spec.default === undefined && !given.has(name));
  if (missing.length === 0) return [];
  const names = missing.map(([name]) => `"${name}"`).join(', ');
  return [{
    code: DiagnosticCode.MissingParam,
    message: `prompt "${prompt.id}" needs ${missing.length === 1 ? 'parameter' : 'parameters'} ${names}`,
    start: ref.id!.start,
    end: ref.end,
    data: { params: missing.map(([name, spec]) => ({ name, value: placeholderFor(spec) })) },
  }];
}

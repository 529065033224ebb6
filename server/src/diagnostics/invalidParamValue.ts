import { DiagnosticCode } from './codes';
import type { Finding } from './finding';
import type { ReferenceFacts } from '../index/lookup';
import type { ParamSpec } from '../protocol';

/** Query values that do not fit the declared type or enum. */
export function invalidParamValue({ prompt, ref }: ReferenceFacts): Finding[] {
  if (!prompt) return [];
  const findings: Finding[] = [];
  for (const p of ref.params) {
    const spec = prompt.params[p.name.value];
    if (!spec || !p.value) continue;
    const problem = valueProblem(p.value.value, spec);
    if (problem) findings.push({ code: DiagnosticCode.InvalidParamValue, message: `parameter "${p.name.value}": ${problem}`, start: p.value.start, end: Math.max(p.value.end, p.value.start) });
  }
  return findings;
}

/** Why a value written in a URI does not fit a parameter, or undefined when it does. */
export function valueProblem(value: string, spec: ParamSpec): string | undefined {
  if (spec.enum?.length && !spec.enum.map(String).includes(value)) return `"${value}" is not one of ${spec.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  switch (spec.type) {
    case 'number':
      return value.trim() !== '' && Number.isFinite(Number(value)) ? undefined : `"${value}" is not a number`;
    case 'integer':
      return /^-?\d+$/.test(value) ? undefined : `"${value}" is not an integer`;
    case 'boolean':
      return value === 'true' || value === 'false' ? undefined : `"${value}" is not true or false`;
    case 'array':
    case 'object':
      try {
        const parsed: unknown = JSON.parse(value);
        const fits = spec.type === 'array' ? Array.isArray(parsed) : typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
        return fits ? undefined : `"${value}" is not a JSON ${spec.type}`;
      } catch {
        return `"${value}" is not a JSON ${spec.type}`;
      }
    default:
      return undefined;
  }
}

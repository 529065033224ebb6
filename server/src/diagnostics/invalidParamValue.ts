import { queryValueError } from '../../../core/params';
import { DiagnosticCode } from './codes';
import type { Finding } from './finding';
import type { ReferenceFacts } from '../index/lookup';
import type { ParamSpec } from '../protocol';

/** Query values that do not fit the declared type or enum. */
export function invalidParamValue({ prompt, ref }: ReferenceFacts): Finding[] {
  if (!prompt) return [];
  const findings: Finding[] = [];
  for (const p of ref.params) {
    const spec = Object.hasOwn(prompt.params, p.name.value) ? prompt.params[p.name.value] : undefined;
    if (!spec || !p.value) continue;
    const problem = valueProblem(p.value.value, spec);
    if (problem) findings.push({ code: DiagnosticCode.InvalidParamValue, message: `parameter "${p.name.value}" ${problem}`, start: p.value.start, end: Math.max(p.value.end, p.value.start) });
  }
  return findings;
}

/**
 * Why a value written in a URI does not fit a parameter, or undefined when it does: core's
 * check, the one the forge and the SDK apply when they render (a schema on the wire may
 * leave `type` out: then it is a string).
 */
export function valueProblem(value: string, spec: ParamSpec): string | undefined {
  return queryValueError({ type: spec.type ?? 'string', enum: spec.enum }, value);
}

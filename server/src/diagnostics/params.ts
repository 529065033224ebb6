/** Placeholder text for a parameter the user has to fill in. */
import type { ParamSpec } from '../protocol';

export function placeholderFor(spec: ParamSpec): string {
  if (spec.default !== undefined) return typeof spec.default === 'string' ? spec.default : JSON.stringify(spec.default);
  if (spec.enum?.length) return String(spec.enum[0]);
  switch (spec.type) {
    case 'number':
    case 'integer':
      return '0';
    case 'boolean':
      return 'false';
    default:
      return '';
  }
}

import { DiagnosticCode } from './codes';
import type { Finding } from './finding';
import type { ReferenceFacts } from '../index/lookup';

/** A host no setting maps to a forge or a folder. */
export function unknownHost({ target, host, ref }: ReferenceFacts, configuredHosts: string[]): Finding[] {
  if (!target || host || !ref.host) return [];
  const known = configuredHosts.length ? `configured hosts: ${configuredHosts.join(', ')}` : 'no hosts are configured (promptforge.hosts)';
  const start = ref.kind === 'uri' ? ref.host.start : ref.start;
  const end = ref.kind === 'uri' ? ref.host.end : ref.end;
  return [{ code: DiagnosticCode.UnknownHost, message: `unknown host "${target.host}"; ${known}`, start, end }];
}

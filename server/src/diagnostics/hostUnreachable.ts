import { DiagnosticCode } from './codes';
import type { Finding } from './finding';
import type { ReferenceFacts } from '../index/lookup';

/**
 * One notice per host and document, on its first reference: the host could not be
 * read, so the document's references to it are not checked (or checked on stale data).
 */
export function hostUnreachable(all: ReferenceFacts[]): Finding[] {
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const { host, ref } of all) {
    if (!host || seen.has(host.name)) continue;
    if (host.state !== 'unreachable' && host.state !== 'stale' && host.state !== 'error') continue;
    seen.add(host.name);
    const data = host.state === 'stale' ? `; using data from ${host.syncedAt}` : '; references to it are not checked';
    findings.push({ code: DiagnosticCode.HostUnreachable, message: `host "${host.name}" (${host.location}) cannot be read: ${host.message ?? host.state}${data}`, start: ref.start, end: ref.end });
  }
  return findings;
}

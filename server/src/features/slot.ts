/**
 * Which part of a reference an offset is in — host, repo, id, version, a parameter's
 * name or value — with the document range that part spans, so completion can offer
 * the right things and replace exactly what is there.
 */
import type { PromptReference } from '../index/reference';

export type Slot =
  | { kind: 'host' | 'repo' | 'id' | 'version'; start: number; end: number; typed: string }
  | { kind: 'paramName'; start: number; end: number; typed: string }
  | { kind: 'paramValue'; name: string; start: number; end: number; typed: string };

const scheme = 'prompt://';

export function slotAt(ref: PromptReference, offset: number): Slot | undefined {
  const rel = offset - ref.start;
  if (rel < 0 || rel > ref.text.length) return undefined;
  return ref.kind === 'uri' ? uriSlot(ref.text, rel, ref.start) : ref.kind === 'short' ? shortSlot(ref.text, rel, ref.start) : undefined;
}

function uriSlot(text: string, rel: number, base: number): Slot | undefined {
  if (rel < scheme.length) return undefined;
  const queryAt = text.indexOf('?');
  if (queryAt >= 0 && rel > queryAt) {
    const segStart = Math.max(text.lastIndexOf('&', rel - 1), queryAt) + 1;
    const amp = text.indexOf('&', rel);
    const segEnd = amp < 0 ? text.length : amp;
    const eq = text.indexOf('=', segStart);
    if (eq >= 0 && eq < rel && eq < segEnd) {
      return { kind: 'paramValue', name: safeDecode(text.slice(segStart, eq)), start: base + eq + 1, end: base + segEnd, typed: safeDecode(text.slice(eq + 1, rel)) };
    }
    const nameEnd = eq >= 0 && eq < segEnd ? eq : segEnd;
    return { kind: 'paramName', start: base + segStart, end: base + nameEnd, typed: text.slice(segStart, rel) };
  }
  const pathEnd = queryAt < 0 ? text.length : queryAt;
  const kinds = ['host', 'repo', 'id'] as const;
  let segStart = scheme.length;
  for (const kind of kinds) {
    const slash = text.indexOf('/', segStart);
    const segEnd = slash < 0 || slash > pathEnd ? pathEnd : slash;
    if (rel <= segEnd) return { kind, start: base + segStart, end: base + segEnd, typed: text.slice(segStart, rel) };
    segStart = segEnd + 1;
  }
  return { kind: 'version', start: base + segStart, end: base + pathEnd, typed: safeDecode(text.slice(segStart, rel)) };
}

function shortSlot(text: string, rel: number, base: number): Slot {
  const colon = text.indexOf(':');
  if (colon >= 0 && rel > colon) return { kind: 'version', start: base + colon + 1, end: base + text.length, typed: text.slice(colon + 1, rel) };
  const pathEnd = colon < 0 ? text.length : colon;
  const slash = text.indexOf('/');
  if (slash >= 0 && slash < pathEnd) {
    if (rel <= slash) return { kind: 'repo', start: base, end: base + slash, typed: text.slice(0, rel) };
    return { kind: 'id', start: base + slash + 1, end: base + pathEnd, typed: text.slice(slash + 1, rel) };
  }
  return { kind: 'id', start: base, end: base + pathEnd, typed: text.slice(0, rel) };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

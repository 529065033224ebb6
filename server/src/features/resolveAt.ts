/** The reference under the cursor, as written and pinned (Copy URI, Render & Test from the editor). */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentReferences } from '../documents';
import { lookup } from '../index/lookup';
import type { PromptIndex } from '../index/model';
import { formatPromptUri, paramValues } from '../index/reference';
import type { ResolveAtResult } from '../protocol';
import type { Settings } from '../settings';

export function resolveAt(doc: TextDocument, offset: number, refs: DocumentReferences, index: PromptIndex, settings: Settings): ResolveAtResult | null {
  const ref = refs.all(doc).find((r) => r.start <= offset && offset <= r.end);
  if (!ref) return null;
  const facts = lookup(ref, index, settings);
  if (!facts.target) return null;
  const written = paramValues(ref);
  const sha = facts.resolution?.ok ? facts.resolution.sha : undefined;
  return {
    uri: formatPromptUri({ ...facts.target, version: facts.spec }, written),
    ...(sha ? { pinnedUri: formatPromptUri({ ...facts.target, version: sha }, written) } : {}),
    target: { ...facts.target, version: facts.spec },
    params: written,
    range: { start: doc.positionAt(ref.start), end: doc.positionAt(ref.end) },
  };
}

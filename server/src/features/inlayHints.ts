/** After a movable version (a label, HEAD, a range), what it resolves to now. */
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ReferenceFacts } from '../index/lookup';
import { releaseAt } from '../index/model';

export function inlayHints(doc: TextDocument, all: ReferenceFacts[], range: Range): InlayHint[] {
  const from = doc.offsetAt(range.start);
  const to = doc.offsetAt(range.end);
  const hints: InlayHint[] = [];
  for (const { ref, prompt, resolution } of all) {
    if (ref.end < from || ref.start > to || !prompt || !resolution?.ok || !resolution.movable || !resolution.sha) continue;
    const release = releaseAt(prompt, resolution.sha);
    const at = ref.version?.end ?? ref.id?.end ?? ref.end;
    hints.push({
      position: doc.positionAt(at),
      label: `→ ${release ? `${release} ` : ''}${resolution.sha.slice(0, 7)}`,
      kind: InlayHintKind.Type,
      paddingLeft: true,
      tooltip: `${ref.version?.value ?? 'default version'} resolves to ${resolution.sha} now`,
    });
  }
  return hints;
}

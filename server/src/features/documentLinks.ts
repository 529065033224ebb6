/** Every resolvable reference becomes a link to the prompt it names. */
import type { DocumentLink } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ReferenceFacts } from '../index/lookup';
import { linkTarget } from './definition';

export function documentLinks(doc: TextDocument, all: ReferenceFacts[]): DocumentLink[] {
  const links: DocumentLink[] = [];
  for (const facts of all) {
    const target = linkTarget(facts);
    if (!target) continue;
    links.push({ range: { start: doc.positionAt(facts.ref.start), end: doc.positionAt(facts.ref.end) }, target, tooltip: `Open ${facts.target!.id} (${facts.spec})` });
  }
  return links;
}

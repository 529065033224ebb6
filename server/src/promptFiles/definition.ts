/** Go to definition on `{{> id}}` in a `.prompt` file: the included prompt's file. */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver';
import { templatePartials } from '../../../core/template';
import type { PromptFileDocument } from './promptFileDocument';

export function promptFileDefinition(doc: PromptFileDocument, offset: number): Location | null {
  const at = offset - doc.file.bodyStart;
  const partial = templatePartials(doc.file.body).find((p) => p.range.start <= at && at <= p.range.end);
  if (!partial) return null;
  const path = doc.pathOf(partial.id);
  return existsSync(path) ? { uri: pathToFileURL(path).href, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } } : null;
}

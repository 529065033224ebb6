/** Completion in a `.prompt` body: declared params inside `{{`, prompt ids after `{{>`. */
import { CompletionItemKind, type CompletionList } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { PromptFileDocument } from './promptFileDocument';

const inTag = /\{\{([#^/&{]?)\s*([A-Za-z0-9_.-]*)$/;
const inPartial = /\{\{>\s*([A-Za-z0-9._-]*)$/;

export function promptFileCompletion(text: TextDocument, doc: PromptFileDocument, offset: number): CompletionList | null {
  if (offset < doc.file.bodyStart) return null;
  const lineStart = text.getText().lastIndexOf('\n', offset - 1) + 1;
  const before = text.getText().slice(lineStart, offset);
  const partial = inPartial.exec(before);
  if (partial) {
    const range = { start: text.positionAt(offset - partial[1].length), end: text.positionAt(offset) };
    const items = doc.siblingIds().filter((id) => id !== doc.id).map((id) => ({ label: id, kind: CompletionItemKind.File, detail: doc.repo?.prompts.get(id)?.description, textEdit: { range, newText: id } }));
    return { isIncomplete: false, items };
  }
  const tag = inTag.exec(before);
  if (!tag) return null;
  const range = { start: text.positionAt(offset - tag[2].length), end: text.positionAt(offset) };
  const items = Object.entries(doc.file.params).map(([name, spec]) => ({
    label: name,
    kind: CompletionItemKind.Variable,
    detail: `${spec.type ?? 'string'}${spec.required ? ', required' : ''}`,
    ...(spec.description ? { documentation: spec.description } : {}),
    textEdit: { range, newText: name },
  }));
  return { isIncomplete: false, items };
}

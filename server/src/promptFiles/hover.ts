/** Hover on a param in a `.prompt` file — in a `{{tag}}` or where it is declared — shows its schema. */
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { templateVariables } from '../../../core/template';
import type { PromptFileDocument } from './promptFileDocument';

export function promptFileHover(text: TextDocument, doc: PromptFileDocument, offset: number): Hover | null {
  const { file } = doc;
  let hit: { name: string; start: number; end: number } | undefined;
  for (const [name, range] of Object.entries(file.ranges.params)) if (range.start <= offset && offset <= range.end) hit = { name, ...range };
  for (const v of templateVariables(file.body)) {
    const start = v.range.start + file.bodyStart;
    const end = v.range.end + file.bodyStart;
    if (start <= offset && offset <= end) hit = { name: v.name, start, end };
  }
  if (!hit) return null;
  const spec = file.params[hit.name];
  const lines = spec
    ? [
        `**${hit.name}**: ${spec.type ?? 'string'}${spec.required ? ' (required)' : ''}`,
        ...(spec.description ? ['', spec.description] : []),
        ...(spec.default !== undefined ? ['', `Default: \`${JSON.stringify(spec.default)}\``] : []),
        ...(spec.enum ? ['', `One of: ${spec.enum.map((e) => `\`${JSON.stringify(e)}\``).join(', ')}`] : []),
      ]
    : [`**${hit.name}** is not a declared param`];
  return { range: { start: text.positionAt(hit.start), end: text.positionAt(hit.end) }, contents: { kind: MarkupKind.Markdown, value: lines.join('\n') } };
}

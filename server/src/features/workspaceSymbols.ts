/** Prompts as workspace symbols, opening their read-only document. */
import { SymbolKind, type WorkspaceSymbol } from 'vscode-languageserver';
import type { PromptIndex } from '../index/model';
import { formatDocumentUri } from '../protocol';

const maxSymbols = 500;

export function workspaceSymbols(index: PromptIndex, query: string): WorkspaceSymbol[] {
  const needle = query.toLowerCase();
  const out: WorkspaceSymbol[] = [];
  for (const prompt of index.allPrompts()) {
    if (needle && !prompt.id.toLowerCase().includes(needle)) continue;
    out.push({
      name: prompt.id,
      kind: SymbolKind.File,
      containerName: `${prompt.host}/${prompt.repo}`,
      location: { uri: formatDocumentUri({ host: prompt.host, repo: prompt.repo, id: prompt.id, ...(prompt.head ? { version: prompt.head } : {}) }) },
    });
    if (out.length >= maxSymbols) break;
  }
  return out;
}

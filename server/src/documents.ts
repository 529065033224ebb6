/**
 * The prompt references of an open document, parsed once per document version.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentCache } from './scanner/cache';
import { referenceAt, scanReferences, type ScanOptions } from './scanner/scanner';
import { parseReference, type PromptReference } from './index/reference';
import type { Settings } from './settings';

export class DocumentReferences {
  private readonly cache = new DocumentCache<PromptReference[]>();

  constructor(private readonly settings: () => Settings) {}

  all(doc: TextDocument): PromptReference[] {
    return this.cache.get(doc.uri, doc.version, () => referencesIn(doc.getText(), this.settings()));
  }

  /** The reference at an offset, half-typed ones included (for completion). */
  at(doc: TextDocument, offset: number): PromptReference | undefined {
    const settings = this.settings();
    const scanned = referenceAt(doc.getText(), offset, scanOptions(settings));
    return scanned && parseReference(scanned, settings);
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  /** Settings changed: defaults, aliases and call names change what is found. */
  reset(): void {
    this.cache.clear();
  }
}

export function referencesIn(text: string, settings: Settings): PromptReference[] {
  return scanReferences(text, scanOptions(settings)).map((r) => parseReference(r, settings));
}

function scanOptions(settings: Settings): ScanOptions {
  return { sdkCallPatterns: settings.sdkCallPatterns, aliases: settings.aliasNames };
}

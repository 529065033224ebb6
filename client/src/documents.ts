// Read-only documents for exact prompt versions (`promptforge:` URIs), served by
// the language server so the diff editor, Open Prompt and go-to-definition can
// show any version without a checkout.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import * as P from '../../server/src/protocol';
import type { PromptRef } from './tree';

export class VersionDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly client: LanguageClient) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const { text } = await this.client.sendRequest(P.DocumentContentRequest, { uri: uri.toString() });
    return text;
  }
}

/** The read-only document of a prompt at a version. */
export function versionUri(ref: PromptRef, version: string): vscode.Uri {
  return vscode.Uri.parse(P.formatDocumentUri({ ...ref, version }));
}

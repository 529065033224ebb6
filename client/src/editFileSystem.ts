// Writable prompts: `promptforge-edit:/HOST/REPO/ID.prompt` holds the prompt as of
// the newest commit on the default branch. Saving asks for a message and commits a
// new version through the server; if the prompt moved meanwhile (or the file is
// invalid) the save fails, the editor keeps the text, and the user is told why.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import * as P from '../../server/src/protocol';
import type { PromptRef } from './tree';
import { versionUri } from './documents';
import { errorKindOf, errorMessage, isConflict } from './errors';

export const EDIT_SCHEME = 'promptforge-edit';

export function editUri(ref: PromptRef, isNew = false): vscode.Uri {
  const path = [ref.host, ref.repo, `${ref.id}.prompt`].map(encodeURIComponent).join('/');
  return vscode.Uri.from({ scheme: EDIT_SCHEME, path: `/${path}`, query: isNew ? 'new' : '' });
}

export function refOfEditUri(uri: vscode.Uri): PromptRef {
  const [host, repo, file] = uri.path.slice(1).split('/').map(decodeURIComponent);
  return { host, repo, id: file.replace(/\.prompt$/, '') };
}

const NEW_PROMPT = (id: string) => `---
description: ${id}
params:
  name: { type: string, required: true, description: Who the prompt speaks to }
status: draft
---
Hello {{name}}!
`;

interface Opened {
  content: Uint8Array;
  /** The commit the text was read at; null for a prompt that does not exist yet. */
  base: string | null;
  mtime: number;
}

export class PromptEditFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly opened = new Map<string, Opened>();

  constructor(private readonly client: LanguageClient, private readonly onCommitted: () => void) {}

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const file = await this.load(uri);
    return { type: vscode.FileType.File, ctime: file.mtime, mtime: file.mtime, size: file.content.byteLength };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return (await this.load(uri)).content;
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    if (!vscode.workspace.isTrusted) throw vscode.FileSystemError.NoPermissions('Prompts cannot be edited in an untrusted workspace.');
    const ref = refOfEditUri(uri);
    const file = await this.load(uri);
    const message = await vscode.window.showInputBox({
      title: `Commit ${ref.id}`,
      prompt: `Message for the new version of ${ref.id} on ${ref.host}/${ref.repo}`,
      value: file.base ? `Update ${ref.id}` : `Add ${ref.id}`,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'A commit message is required'),
    });
    if (message === undefined) throw vscode.FileSystemError.Unavailable('Not saved: the commit was cancelled.');
    const text = new TextDecoder().decode(content);
    try {
      const { sha } = await this.client.sendRequest(P.CommitPromptRequest, { ...ref, content: text, base: file.base, message });
      this.opened.set(uri.toString(), { content, base: sha, mtime: Date.now() });
      this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
      this.onCommitted();
      void vscode.window.showInformationMessage(`Committed ${ref.id} as ${sha.slice(0, 7)}.`);
    } catch (error) {
      if (isConflict(error)) {
        const compare = 'Compare with Latest';
        void vscode.window
          .showErrorMessage(`${ref.id} changed on ${ref.host} since you opened it. Nothing was committed and your text is kept: compare, merge by hand, then reopen to save on top.`, compare)
          .then((choice) => choice === compare && vscode.commands.executeCommand('vscode.diff', versionUri(ref, 'HEAD'), uri, `${ref.id}: latest ↔ yours`));
        throw vscode.FileSystemError.Unavailable(`Not saved: ${ref.id} changed on the forge.`);
      }
      const reason = errorMessage(error);
      void vscode.window.showErrorMessage(`Not saved: ${reason}`);
      throw vscode.FileSystemError.Unavailable(`Not saved: ${reason}`);
    }
  }

  private async load(uri: vscode.Uri): Promise<Opened> {
    const key = uri.toString();
    const known = this.opened.get(key);
    if (known) return known;
    const ref = refOfEditUri(uri);
    let opened: Opened;
    if (uri.query === 'new') {
      opened = { content: new TextEncoder().encode(NEW_PROMPT(ref.id)), base: null, mtime: Date.now() };
    } else {
      try {
        const { text, sha } = await this.client.sendRequest(P.DocumentContentRequest, { uri: versionUri(ref, 'HEAD').toString() });
        opened = { content: new TextEncoder().encode(text), base: sha, mtime: Date.now() };
      } catch (error) {
        throw errorKindOf(error) === 'not_found' ? vscode.FileSystemError.FileNotFound(uri) : error;
      }
    }
    this.opened.set(key, opened);
    return opened;
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }
  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('Prompts live in repositories; create one with New Prompt….');
  }
  delete(): void {
    throw vscode.FileSystemError.NoPermissions('Deleting prompts is done in the repository.');
  }
  rename(): void {
    throw vscode.FileSystemError.NoPermissions('Renaming prompts is done in the repository.');
  }
}

// For the end-to-end tests only, and inert without PROMPTFORGE_TEST_BRIDGE: the
// extension connects to that address (a test harness on 127.0.0.1) once it is
// active and runs the commands it sends, answering with each command's awaited
// result. Tests then wait on what the product does (a command's promise) instead
// of on how fast the UI reacts to keys and clicks. A few `promptforge.test.*`
// commands, registered only here, do what no product command does (put the cursor
// after a text, close every editor without saving).
import { connect, type Socket } from 'node:net';
import * as vscode from 'vscode';

export interface BridgeRequest {
  id: number;
  command: string;
  args?: unknown[];
}

export type BridgeReply = { id: number; result?: unknown } | { id: number; error: string };

export function connectTestBridge(address: string | undefined, log: vscode.LogOutputChannel): vscode.Disposable | undefined {
  const match = address && /^127\.0\.0\.1:(\d+)$/.exec(address);
  if (!match) return undefined;
  const commands = registerTestCommands();
  const socket = connect(Number(match[1]), '127.0.0.1');
  socket.setEncoding('utf8');
  let buffered = '';
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      void run(JSON.parse(line) as BridgeRequest, socket);
    }
  });
  socket.on('error', (error) => log.warn(`test bridge: ${error.message}`));
  return vscode.Disposable.from(...commands, { dispose: () => socket.destroy() });
}

async function run(request: BridgeRequest, socket: Socket): Promise<void> {
  let reply: BridgeReply;
  try {
    const result: unknown = await vscode.commands.executeCommand(request.command, ...(request.args ?? []).map(revive));
    reply = { id: request.id, result: JSON.parse(JSON.stringify(result ?? null, (_key, value: unknown) => (value instanceof vscode.Uri ? value.toString() : value))) };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  socket.write(JSON.stringify(reply) + '\n');
}

/** `{ "$uri": "file:///…" }` in an argument stands for a `vscode.Uri`. */
function revive(value: unknown): unknown {
  if (value && typeof value === 'object' && '$uri' in value && typeof value.$uri === 'string') return vscode.Uri.parse(value.$uri);
  return value;
}

function registerTestCommands(): vscode.Disposable[] {
  return [
    /** Opens a workspace file in the first editor group and resolves once it is the active, focused editor. */
    vscode.commands.registerCommand('promptforge.test.openFile', async (path: string) => {
      const folder = vscode.workspace.workspaceFolders![0].uri;
      const editor = await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, path), { viewColumn: vscode.ViewColumn.One, preview: false });
      return editor.document.uri;
    }),
    /** Puts the cursor right after the first `after` in the active editor (or at its end), focused and revealed. */
    vscode.commands.registerCommand('promptforge.test.putCursor', async (where: { after?: string; end?: boolean }) => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) throw new Error('no active text editor');
      const text = editor.document.getText();
      let offset = text.length;
      if (where.after !== undefined) {
        const at = text.indexOf(where.after);
        if (at < 0) throw new Error(`\`${where.after}\` is not in ${editor.document.uri.toString()}`);
        offset = at + where.after.length;
      }
      const position = editor.document.positionAt(offset);
      const shown = await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false, selection: new vscode.Range(position, position) });
      shown.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      return { line: position.line, character: position.character };
    }),
    /** Reverts every unsaved document, closes every editor and the panel and clears notifications: the next test starts from nothing open. */
    vscode.commands.registerCommand('promptforge.test.closeEditors', async () => {
      for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty)) {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
      await vscode.window.tabGroups.close(vscode.window.tabGroups.all.flatMap((group) => group.tabs));
      await vscode.commands.executeCommand('workbench.action.closePanel');
      // A toast left from an earlier test can lie over the button the next one clicks.
      await vscode.commands.executeCommand('notifications.clearAll');
    }),
  ];
}

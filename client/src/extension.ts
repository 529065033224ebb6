// The Prompt Forge extension: starts the language server and wires views,
// commands, the Render & Test panel and the status bar to it. It holds no prompt
// logic of its own.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import * as P from '../../server/src/protocol';
import { registerCommands } from './commands';
import { VersionDocuments } from './documents';
import { EDIT_SCHEME, PromptEditFileSystem } from './editFileSystem';
import { createLanguageClient } from './languageClient';
import { RenderPanels } from './renderPanel';
import { ApiKeys } from './secrets';
import { ForgeStatus } from './statusBar';
import { connectTestBridge } from './testBridge';
import { ForgeTree } from './tree';
import { UsageCache } from './usage';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Prompt Forge', { log: true });
  client = createLanguageClient(context, log);
  const keys = new ApiKeys(context.secrets);
  const usage = new UsageCache(client);
  const tree = new ForgeTree(client, usage);
  const status = new ForgeStatus();
  const panels = new RenderPanels({ extensionUri: context.extensionUri, client, keys, usage, log });
  const setContext = (key: string, value: unknown) => vscode.commands.executeCommand('setContext', key, value);

  context.subscriptions.push(
    log,
    usage,
    status,
    client,
    vscode.window.createTreeView('promptforge.forge', { treeDataProvider: tree, showCollapseAll: true }),
    vscode.workspace.registerTextDocumentContentProvider(P.documentScheme, new VersionDocuments(client)),
    vscode.workspace.registerFileSystemProvider(EDIT_SCHEME, new PromptEditFileSystem(client, () => tree.refresh()), { isCaseSensitive: true }),
    ...registerCommands({ client, tree, panels, keys, usage, status, log }),
    context.secrets.onDidChange(() => client && keys.sendTo(client)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => setContext('promptforge.untrusted', false)),
  );
  void setContext('promptforge.untrusted', !vscode.workspace.isTrusted);

  const showHosts = async () => status.replaceAll((await client!.sendRequest(P.HostStatusRequest, undefined)).hosts);
  client.onNotification(P.TreeChangedNotification, () => tree.refresh());
  const hostsChanged = () => {
    tree.refresh();
    void showHosts();
  };
  client.onNotification(P.HostStateNotification, hostsChanged);
  client.onNotification(P.IndexReadyNotification, hostsChanged);

  await client.start();
  await keys.sendTo(client);
  await showHosts();
  await setContext('promptforge.active', true);
  // Last, so a connected test knows the extension is active and its language server started.
  const bridge = connectTestBridge(process.env.PROMPTFORGE_TEST_BRIDGE, log);
  if (bridge) context.subscriptions.push(bridge);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

// Starts the bundled language server over IPC. Everything the extension knows
// about prompts comes from it: standard LSP features plus the custom requests in
// server/src/protocol.ts.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { EDIT_SCHEME } from './editFileSystem';
import { Commands, documentScheme, experimentalCapability, type ClientExtensions } from '../../server/src/protocol';

/**
 * The `.prompt` language. Not `prompt`: VS Code itself names its chat prompt files'
 * language that, and would validate ours with its own parser.
 */
export const PROMPT_LANGUAGE = 'promptforge-prompt';

/** Languages whose files may hold prompt URIs (the server scans any text; these are the ones it is started for). */
export const LANGUAGES = [
  'typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python', 'go', 'elixir', 'ruby', 'java', 'kotlin',
  'rust', 'csharp', 'php', 'markdown', 'yaml', 'json', 'jsonc', 'toml', 'shellscript', PROMPT_LANGUAGE,
];

/** The `promptforge` settings as the server takes them in `initializationOptions`. */
export function settingsSnapshot(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration('promptforge');
  return {
    hosts: config.get('hosts', {}),
    defaultVersion: config.get('defaultVersion', ''),
    lint: config.get('lint', {}),
    sdkCallPatterns: config.get('sdkCallPatterns', []),
  };
}

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server/main.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const fileSchemes = ['file', 'untitled'];
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...LANGUAGES.flatMap((language) => fileSchemes.map((scheme) => ({ scheme, language }))),
      { scheme: documentScheme, language: PROMPT_LANGUAGE },
      { scheme: EDIT_SCHEME, language: PROMPT_LANGUAGE },
    ],
    outputChannel: output,
    initializationOptions: settingsSnapshot(),
    // Hover links run our commands (Open, Diff with production, Render & Test) and nothing else.
    markdown: { isTrusted: { enabledCommands: Object.values(Commands) }, supportHtml: false },
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.prompt') },
  };
  const client = new LanguageClient('promptforge', 'Prompt Forge', serverOptions, clientOptions);
  // Tells the server this client handles its custom notifications and command links (other editors get plain LSP).
  const extensions: ClientExtensions = { notifications: true, commandLinks: true };
  client.registerFeature({
    fillClientCapabilities: (capabilities) => {
      capabilities.experimental = { ...(capabilities.experimental as object | undefined), [experimentalCapability]: extensions };
    },
    initialize: () => {},
    getState: () => ({ kind: 'static' }),
    clear: () => {},
  });
  return client;
}

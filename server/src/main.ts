/**
 * promptforge-language-server: `--stdio` for any editor, node IPC for VS Code
 * (the transport is chosen from the command line by vscode-languageserver).
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { apiKeyEnvironmentVariable } from './protocol';
import { startServer } from './server';

const connection = createConnection(ProposedFeatures.all);
startServer(connection, { environmentApiKey: process.env[apiKeyEnvironmentVariable] || undefined });
connection.listen();

/**
 * A typed LSP test client talking JSON-RPC to the server: in-process over a pair of
 * streams by default, or to a spawned `promptforge-language-server --stdio`. It
 * answers `workspace/configuration` with the given settings and waits on the server's
 * notifications instead of sleeping.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
  type MessageReader,
  type MessageWriter,
  type NotificationType,
  type RequestType,
} from 'vscode-jsonrpc/node';
import {
  CodeActionRequest,
  CompletionRequest,
  ConfigurationRequest,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentLinkRequest,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  InlayHintRequest,
  PublishDiagnosticsNotification,
  ReferencesRequest,
  ShutdownRequest,
  WorkspaceSymbolRequest,
  type CodeAction,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type Hover,
  type Position,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { experimentalCapability, IndexReadyNotification, type IndexReadyParams, type PromptForgeSettings } from '../../../server/src/protocol';
import { startServer, type ServerOptions } from '../../../server/src/server';

export interface ClientOptions {
  settings: PromptForgeSettings;
  /** Workspace folder (absolute path). */
  folder?: string;
  /** Send settings as initializationOptions only (clients without workspace/configuration). */
  initializationOptionsOnly?: boolean;
  server?: ServerOptions;
  /** A plain LSP client: declares none of the extension's protocol extensions (and so cannot wait on indexReady). */
  plain?: boolean;
  /** Spawn the built server (over `--stdio`, or `--node-ipc` as VS Code does) instead of running it in-process. */
  spawn?: { env?: NodeJS.ProcessEnv; transport?: 'stdio' | 'ipc' };
}

/** Splits text at the `|` cursor marker. */
export function cursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  if (offset < 0) throw new Error('cursor marker | missing');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

export function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

export class TestClient {
  readonly connection: MessageConnection;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: Array<() => void> = [];
  private readonly notifications: Array<{ method: string; params: unknown }> = [];
  private readonly versions = new Map<string, number>();
  private child?: ChildProcess;
  private docCount = 0;

  private constructor(
    private settings: PromptForgeSettings,
    options: ClientOptions,
  ) {
    let reader: MessageReader;
    let writer: MessageWriter;
    if (options.spawn?.transport === 'ipc') {
      this.child = fork('bin/promptforge-language-server.js', ['--node-ipc'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env: { ...process.env, ...options.spawn.env } });
      reader = new IPCMessageReader(this.child);
      writer = new IPCMessageWriter(this.child);
    } else if (options.spawn) {
      this.child = spawn(process.execPath, ['bin/promptforge-language-server.js', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...options.spawn.env } });
      reader = new StreamMessageReader(this.child.stdout!);
      writer = new StreamMessageWriter(this.child.stdin!);
    } else {
      const toServer = new PassThrough();
      const toClient = new PassThrough();
      const serverConnection = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
      startServer(serverConnection, { diagnosticsDelayMs: 0, ...options.server });
      serverConnection.listen();
      reader = new StreamMessageReader(toClient);
      writer = new StreamMessageWriter(toServer);
    }
    this.connection = createMessageConnection(reader, writer);
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => (item.section === 'promptforge' ? this.settings : null)));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params);
      this.wake();
    });
    this.connection.onNotification((method, params) => {
      this.notifications.push({ method, params });
      this.wake();
    });
    this.connection.listen();
  }

  /** Process id of a spawned server. */
  get serverPid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts a server and waits until its index is ready. */
  static async start(options: ClientOptions): Promise<TestClient> {
    const client = new TestClient(options.settings, options);
    const ready = options.plain ? Promise.resolve() : client.nextNotification(IndexReadyNotification);
    const folder = options.folder;
    const experimental = options.plain ? {} : { experimental: { [experimentalCapability]: { notifications: true, commandLinks: true } } };
    await client.connection.sendRequest(InitializeRequest.type, {
      // A processId makes the server poll for its parent, keeping an in-process test alive.
      processId: options.spawn ? process.pid : null,
      rootUri: folder ? pathToFileURL(folder).href : null,
      workspaceFolders: folder ? [{ uri: pathToFileURL(folder).href, name: 'workspace' }] : null,
      capabilities: { ...(options.initializationOptionsOnly ? {} : { workspace: { configuration: true } }), ...experimental },
      initializationOptions: options.settings,
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    await ready;
    return client;
  }

  /** Methods of every notification the server sent so far. */
  notificationMethods(): string[] {
    return this.notifications.map((n) => n.method);
  }

  /** Resolves with the next notification of a type (after this call). */
  nextNotification<P>(type: NotificationType<P>, match: (p: P) => boolean = () => true, deadlineMs = 15000): Promise<P> {
    const from = this.notifications.length;
    return this.until(() => this.notifications.slice(from).find((n) => n.method === type.method && match(n.params as P))?.params as P | undefined, `notification ${type.method}`, deadlineMs);
  }

  /** Opens a document; returns its URI. */
  async open(text: string, languageId = 'typescript', name?: string): Promise<string> {
    const uri = name?.startsWith('file:') ? name : `file:///workspace/${name ?? `doc${++this.docCount}.${extension(languageId)}`}`;
    this.versions.set(uri, 1);
    this.diagnostics.delete(uri);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  async change(uri: string, text: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Replaces one range, as editors send edits. */
  async edit(uri: string, range: { start: Position; end: Position }, text: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  /** Diagnostics for the document's current version. */
  diagnosticsOf(uri: string, match: (d: Diagnostic[]) => boolean = () => true): Promise<Diagnostic[]> {
    return this.until(() => {
      const got = this.diagnostics.get(uri);
      return got && got.version === this.versions.get(uri) && match(got.diagnostics) ? got.diagnostics : undefined;
    }, `diagnostics for ${uri}`);
  }

  /** Opens marked text; returns the URI and the cursor position. */
  async openAt(marked: string, languageId = 'typescript'): Promise<{ uri: string; position: Position; text: string }> {
    const { text, offset } = cursor(marked);
    const uri = await this.open(text, languageId);
    return { uri, position: positionOf(text, offset), text };
  }

  async completion(marked: string, languageId = 'typescript'): Promise<CompletionItem[]> {
    const { uri, position } = await this.openAt(marked, languageId);
    const result = (await this.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position })) as CompletionList | null;
    return result?.items ?? [];
  }

  async hover(marked: string, languageId = 'typescript'): Promise<string | undefined> {
    const { uri, position } = await this.openAt(marked, languageId);
    return hoverText(await this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }));
  }

  hoverAt(uri: string, position: Position): Promise<string | undefined> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }).then(hoverText);
  }

  definition(uri: string, position: Position) {
    return this.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position });
  }

  references(uri: string, position: Position) {
    return this.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position, context: { includeDeclaration: true } });
  }

  documentLinks(uri: string) {
    return this.connection.sendRequest(DocumentLinkRequest.type, { textDocument: { uri } });
  }

  inlayHints(uri: string, text: string) {
    return this.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: positionOf(text, text.length) } });
  }

  workspaceSymbols(query: string) {
    return this.connection.sendRequest(WorkspaceSymbolRequest.type, { query });
  }

  async codeActions(uri: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const range = diagnostics[0].range;
    return ((await this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } })) ?? []) as CodeAction[];
  }

  request<P, R, E>(type: RequestType<P, R, E>, params: P): Promise<R> {
    return this.connection.sendRequest(type.method, params) as Promise<R>;
  }

  /** Changes settings and waits for the index to be ready again. */
  async configure(settings: PromptForgeSettings): Promise<IndexReadyParams> {
    this.settings = settings;
    const ready = this.nextNotification(IndexReadyNotification);
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: { promptforge: settings } });
    return ready;
  }

  async stop(): Promise<void> {
    await this.connection.sendRequest(ShutdownRequest.method).catch(() => {});
    // An in-process server would end the test process on `exit`: only a spawned one gets it.
    if (this.child) await this.connection.sendNotification(ExitNotification.method).catch(() => {});
    this.connection.dispose();
    if (this.child && this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child!.once('exit', resolve));
      const timer = setTimeout(() => this.child?.kill(), 5000);
      await exited;
      clearTimeout(timer);
    }
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private until<T>(check: () => T | undefined, what: string, deadlineMs = 15000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), deadlineMs);
      const attempt = () => {
        const value = check();
        if (value !== undefined) {
          clearTimeout(timer);
          resolve(value);
        } else {
          this.waiters.push(attempt);
        }
      };
      attempt();
    });
  }
}

function hoverText(hover: Hover | null): string | undefined {
  if (!hover) return undefined;
  const c = hover.contents;
  return typeof c === 'string' ? c : 'value' in c ? c.value : c.map((m) => (typeof m === 'string' ? m : m.value)).join('\n');
}

function extension(languageId: string): string {
  return ({ typescript: 'ts', python: 'py', go: 'go', elixir: 'ex', markdown: 'md', yaml: 'yaml', json: 'json' } as Record<string, string>)[languageId] ?? 'txt';
}

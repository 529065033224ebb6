/**
 * Wires the language server: LSP and custom requests onto the index and the features.
 * Holds no prompt logic of its own.
 */
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  type CancellationToken,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentReferences } from './documents';
import { codeActions, pinActions } from './features/codeActions';
import { unpinned } from './diagnostics/unpinned';
import { completion, completionTriggerCharacters } from './features/completion';
import { definition } from './features/definition';
import { diagnostics } from './features/diagnostics';
import { documentLinks } from './features/documentLinks';
import { hover, hoverParams } from './features/hover';
import { inlayHints } from './features/inlayHints';
import { findReferences, type PromptId } from './features/references';
import { render } from './features/render';
import { resolveAt } from './features/resolveAt';
import { resolveVersion } from './features/resolveVersion';
import { tree } from './features/tree';
import { usageTable } from './features/usage';
import { versions } from './features/versions';
import { workspaceSymbols } from './features/workspaceSymbols';
import { defaultSourceFactory, Hosts, type ReconnectDelays, type SourceFactory } from './index/hosts';
import { lookup, type ReferenceFacts } from './index/lookup';
import { formatPromptUri } from './index/reference';
import { Renders } from './index/renders';
import { UsageCounts } from './index/usage';
import { SourceError } from './index/source';
import { promptFileCompletion } from './promptFiles/completion';
import { promptFileDefinition } from './promptFiles/definition';
import { promptFileFindings } from './promptFiles/diagnostics';
import { promptFileHover } from './promptFiles/hover';
import { isPromptFile, promptFileDocument, type PromptFileDocument } from './promptFiles/promptFileDocument';
import * as protocol from './protocol';
import { DocumentCache } from './scanner/cache';
import { readSettings, type Settings } from './settings';

export interface ServerOptions {
  /** Delay between an edit and its diagnostics; 0 publishes at once (tests). */
  diagnosticsDelayMs?: number;
  sourceFactory?: SourceFactory;
  /** Reconnect delays for hosts that went away (first, doubling up to max); tests make them short. */
  reconnectDelayMs?: ReconnectDelays;
  /** API key for every remote host without one of its own (other editors: PROMPTFORGE_API_KEY). */
  environmentApiKey?: string;
}


export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const hosts = new Hosts(options.sourceFactory ?? defaultSourceFactory, options.reconnectDelayMs);
  const hoverReady = (what: 'render' | 'usage') => (host: string, repo: string, id: string, sha?: string) => {
    if (extensions.notifications) void connection.sendNotification(protocol.HoverReadyNotification, { host, repo, id, what, ...(sha ? { sha } : {}) });
  };
  const renders = new Renders(hosts, hoverReady('render'));
  const usage = new UsageCounts(hosts, hoverReady('usage'));
  let settings: Settings = readSettings(undefined);
  let initOptions: unknown;
  /** Custom notifications and command links go only to clients that declared them. */
  let extensions: protocol.ClientExtensions = {};
  let folders: string[] = [];
  let canPullConfiguration = false;
  let canRefreshInlayHints = false;
  let apiKeys: Record<string, string> = {};
  let initialized = false;
  let indexReady = false;
  const refs = new DocumentReferences(() => settings);
  const pending = new Map<string, NodeJS.Timeout>();
  const delay = options.diagnosticsDelayMs ?? 200;

  const promptFiles = new DocumentCache<PromptFileDocument>(50);
  const promptFileOf = (doc: TextDocument): PromptFileDocument | undefined =>
    isPromptFile(doc.uri) ? promptFiles.get(doc.uri, doc.version, () => promptFileDocument(doc.uri, doc.getText(), hosts.index)) : undefined;

  const factsOf = (doc: TextDocument): ReferenceFacts[] => refs.all(doc).map((ref) => lookup(ref, hosts.index, settings));
  const factsAt = (uri: string, position: { line: number; character: number }): { doc: TextDocument; facts: ReferenceFacts } | undefined => {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const offset = doc.offsetAt(position);
    const ref = refs.all(doc).find((r) => r.start <= offset && offset <= r.end);
    return ref && { doc, facts: lookup(ref, hosts.index, settings) };
  };

  /** Starts renders of a document's first references, so hovers on remote prompts have them. */
  const prefetch = (doc: TextDocument): void => {
    for (const facts of factsOf(doc).slice(0, 20)) {
      const sha = facts.resolution?.ok ? facts.resolution.sha : undefined;
      if (facts.prompt && sha && facts.host?.kind === 'remote') {
        void renders.get(facts.prompt.host, facts.prompt.repo, facts.prompt.id, sha, hoverParams(facts));
        usage.of(facts.prompt.host, facts.prompt.repo, facts.prompt.id, sha);
      }
    }
  };

  const publish = (doc: TextDocument): void => {
    prefetch(doc);
    const promptFile = promptFileOf(doc);
    const extra = promptFile ? promptFileFindings(promptFile) : [];
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: diagnostics(doc, refs.all(doc), hosts.index, settings, extra) });
  };
  const schedule = (doc: TextDocument): void => {
    if (!indexReady) return;
    clearTimeout(pending.get(doc.uri));
    if (delay === 0) return publish(doc);
    pending.set(
      doc.uri,
      setTimeout(() => {
        pending.delete(doc.uri);
        const current = documents.get(doc.uri);
        if (current) publish(current);
      }, delay),
    );
  };
  const publishAll = (): void => documents.all().forEach(publish);

  const effectiveKeys = (): Record<string, string> => {
    if (!options.environmentApiKey) return apiKeys;
    const keys: Record<string, string> = {};
    for (const name of Object.keys(settings.hosts)) keys[name] = apiKeys[name] ?? options.environmentApiKey;
    return keys;
  };

  const reconfigure = async (): Promise<void> => {
    let raw: unknown = initOptions;
    if (canPullConfiguration) {
      const pulled: unknown = await connection.workspace.getConfiguration({ section: protocol.configurationSection }).catch(() => undefined);
      if (pulled && typeof pulled === 'object' && Object.keys(pulled).length > 0) raw = { ...(initOptions as object), ...pulled };
    }
    settings = readSettings(raw);
    refs.reset();
    promptFiles.clear();
    await hosts.configure(settings.hosts, folders[0], effectiveKeys());
    indexReady = true;
    if (extensions.notifications) void connection.sendNotification(protocol.IndexReadyNotification, { hosts: hosts.index.hosts.size, prompts: hosts.index.promptCount() });
    publishAll();
  };

  hosts.on('state', (host, state, message) => {
    if (extensions.notifications) void connection.sendNotification(protocol.HostStateNotification, { host, state, ...(message ? { message } : {}) });
    if (indexReady) publishAll();
  });
  hosts.on('changed', (host, repo, id) => {
    if (extensions.notifications) void connection.sendNotification(protocol.TreeChangedNotification, { host, ...(repo ? { repo } : {}), ...(id ? { id } : {}) });
    promptFiles.clear(); // their partials and repo may have changed
    if (!indexReady) return;
    publishAll();
    // What labels and HEAD resolve to may have moved.
    if (canRefreshInlayHints) void connection.languages.inlayHint.refresh().catch(() => {});
  });

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    initOptions = params.initializationOptions;
    extensions = protocol.clientExtensions(params.capabilities);
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    canRefreshInlayHints = params.capabilities.workspace?.inlayHint?.refreshSupport === true;
    const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    folders = uris.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: completionTriggerCharacters },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentLinkProvider: { resolveProvider: false },
        inlayHintProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
        workspaceSymbolProvider: true,
      },
      serverInfo: { name: 'promptforge-language-server' },
    };
  });

  connection.onInitialized(() => {
    initialized = true;
    void reconfigure();
  });
  connection.onDidChangeConfiguration((change) => {
    if (!canPullConfiguration) {
      const section = (change.settings as Record<string, unknown> | undefined)?.[protocol.configurationSection];
      if (section) initOptions = section;
    }
    void reconfigure();
  });
  connection.onNotification(protocol.SetApiKeysNotification, (params) => {
    apiKeys = { ...params.keys };
    // Before `initialized` the first configuration will use them; after, hosts restart with them.
    if (initialized) void reconfigure();
  });

  documents.onDidChangeContent((change) => schedule(change.document));
  documents.onDidClose((event) => {
    clearTimeout(pending.get(event.document.uri));
    pending.delete(event.document.uri);
    refs.forget(event.document.uri);
    promptFiles.delete(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  // ---- LSP features ---------------------------------------------------------------

  connection.onCompletion((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const offset = doc.offsetAt(params.position);
    const promptFile = promptFileOf(doc);
    return (promptFile && promptFileCompletion(doc, promptFile, offset)) || completion(doc, refs.at(doc, offset), offset, hosts.index, settings);
  });

  connection.onHover(async (params) => {
    const doc = documents.get(params.textDocument.uri);
    const promptFile = doc && promptFileOf(doc);
    const inPromptFile = promptFile && promptFileHover(doc, promptFile, doc.offsetAt(params.position));
    if (inPromptFile) return inPromptFile;
    const at = factsAt(params.textDocument.uri, params.position);
    if (!at) return null;
    const { facts } = at;
    const sha = facts.resolution?.ok ? facts.resolution.sha : undefined;
    const render = facts.prompt && sha ? await renders.get(facts.prompt.host, facts.prompt.repo, facts.prompt.id, sha, hoverParams(facts)) : undefined;
    const calls = facts.prompt && sha ? usage.of(facts.prompt.host, facts.prompt.repo, facts.prompt.id, sha) : undefined;
    return hover(at.doc, facts, render, calls, extensions.commandLinks === true);
  });

  connection.onDefinition((params) => {
    const doc = documents.get(params.textDocument.uri);
    const promptFile = doc && promptFileOf(doc);
    const partial = promptFile && promptFileDefinition(promptFile, doc.offsetAt(params.position));
    if (partial) return partial;
    const at = factsAt(params.textDocument.uri, params.position);
    return at ? definition(at.facts) : null;
  });

  connection.onDocumentLinks((params) => {
    const doc = documents.get(params.textDocument.uri);
    return doc ? documentLinks(doc, factsOf(doc)) : [];
  });

  connection.languages.inlayHint.on((params) => {
    const doc = documents.get(params.textDocument.uri);
    return doc ? inlayHints(doc, factsOf(doc), params.range) : [];
  });

  connection.onCodeAction((params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    const fixes = codeActions(doc, params.context.diagnostics, refs.all(doc));
    if (settings.lint.unpinned !== 'ignore') return fixes;
    // With `unpinned` off, pinning is still offered where the cursor is.
    const facts = factsAt(doc.uri, params.range.start)?.facts;
    const [pin] = facts ? unpinned(facts) : [];
    return pin?.data ? [...fixes, ...pinActions(doc, facts!.ref, pin.data, CodeActionKind.RefactorRewrite)] : fixes;
  });

  const usages = (wanted: PromptId, token?: CancellationToken) =>
    findReferences(folders, wanted, settings, (uri) => documents.get(uri)?.getText(), () => token?.isCancellationRequested === true);

  connection.onReferences(async (params, token) => {
    const target = factsAt(params.textDocument.uri, params.position)?.facts.target;
    return target ? usages(target, token) : [];
  });

  connection.onWorkspaceSymbol((params) => workspaceSymbols(hosts.index, params.query));

  // ---- custom requests ------------------------------------------------------------

  const sourceOf = (host: string) => {
    const source = hosts.source(host);
    if (!source) throw new ResponseError(protocol.ErrorCodes.NotFound, `unknown host "${host}"`, { code: 'unknown_host' });
    return source;
  };
  /** Runs a source call, turning its failures into typed JSON-RPC errors. */
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof SourceError) throw new ResponseError(protocol.rpcErrorCode(error.code), error.message, { code: error.code, ...error.detail });
      throw error;
    }
  };

  connection.onRequest(protocol.TreeRequest, (params) => tree(hosts.index, params?.host));

  connection.onRequest(protocol.VersionsRequest, (params) => versions(hosts.index, params));

  connection.onRequest(protocol.DocumentContentRequest, (params) => {
    const target = protocol.parseDocumentUri(params.uri);
    if (!target) throw new ResponseError(protocol.ErrorCodes.Invalid, `not a promptforge: document URI: ${params.uri}`, { code: 'invalid_uri' });
    return call(async () => {
      const { sha, source } = await sourceOf(target.host).content(target.repo, target.id, target.version ?? settings.defaultVersion);
      return { text: source, sha };
    });
  });

  connection.onRequest(protocol.DiffRequest, (params) =>
    call(async () => {
      const result = await sourceOf(params.host).diff(params.repo, params.id, params.from, params.to);
      const at = (sha: string) => protocol.formatDocumentUri({ host: params.host, repo: params.repo, id: params.id, version: sha });
      return { left: at(result.fromSha), right: at(result.toSha), leftSha: result.fromSha, rightSha: result.toSha, patch: result.patch };
    }),
  );

  const refreshAfter = async <T>(host: string, result: T): Promise<T> => {
    await hosts.refresh(host);
    return result;
  };

  connection.onRequest(protocol.PromoteRequest, (params) =>
    call(async () => {
      const moved = await sourceOf(params.host).promote(params.repo, params.id, params.label, params.version, params.expected);
      return refreshAfter(params.host, { label: params.label, from: moved.from, to: moved.to });
    }),
  );

  connection.onRequest(protocol.ReleaseRequest, (params) =>
    call(async () => refreshAfter(params.host, await sourceOf(params.host).release(params.repo, params.id, params.version, params.ref, params.notes))),
  );

  connection.onRequest(protocol.CommitPromptRequest, (params) =>
    call(async () => {
      const { sha } = await sourceOf(params.host).commitPrompt(params.repo, params.id, params);
      return refreshAfter(params.host, { sha, pinnedUri: formatPromptUri({ host: params.host, repo: params.repo, id: params.id, version: sha }) });
    }),
  );

  connection.onRequest(protocol.UsageRequest, (params) => call(() => usageTable(sourceOf(params.host), params, usage)));

  connection.onRequest(protocol.ReviewRequest, ({ host, repo, id, ...input }) => call(() => sourceOf(host).review(repo, id, input)));

  connection.onRequest(protocol.ApplyReviewRequest, ({ host, repo, id, ...input }) =>
    call(async () => {
      const draft = await sourceOf(host).applyReview(repo, id, input);
      return refreshAfter(host, {
        sha: draft.sha,
        branch: draft.branch,
        pinnedUri: formatPromptUri({ host, repo, id, version: draft.sha }),
        branchUri: formatPromptUri({ host, repo, id, version: `${draft.branch}/HEAD` }),
      });
    }),
  );

  connection.onRequest(protocol.RenderRequest, (params) => call(() => render(params, hosts.index, settings, sourceOf)));

  connection.onRequest(protocol.ResolveAtRequest, (params) => {
    const doc = documents.get(params.textDocument.uri);
    return doc ? resolveAt(doc, doc.offsetAt(params.position), refs, hosts.index, settings) : null;
  });

  connection.onRequest(protocol.ResolveVersionRequest, (params) => resolveVersion(hosts.index, settings, params));

  connection.onRequest(protocol.FindUsagesRequest, (params, token) => usages(params, token));

  connection.onRequest(protocol.HostStatusRequest, () => ({ hosts: hosts.status() }));

  connection.onRequest(protocol.RefreshRequest, async (params) => {
    await hosts.refresh(params?.host);
    return { hosts: hosts.status() };
  });

  connection.onShutdown(() => hosts.close());

  documents.listen(connection);
}

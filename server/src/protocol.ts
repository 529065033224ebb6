/**
 * The Prompt Forge protocol between the language server and its clients: custom
 * requests and notifications, the `promptforge:` read-only document scheme, command
 * ids used in hover links and code lenses, and the configuration shape. Both sides
 * import this one module, so it depends on protocol types and the dependency-free
 * modules both sides share (diagnostic codes, usage wording), never on server logic.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Location, Position, Range, TextDocumentIdentifier } from 'vscode-languageserver-protocol';
import { errorKind, unhandled, type ErrorCode, type ErrorKind } from '../../core/errors';
import { DiagnosticCode, defaultLintSeverity } from './diagnostics/codes';
import type { LintSeverity } from './diagnostics/codes';
import type { ChatMessage, ParamsSchema, Review, UsageSeries, VersionUsage } from '../../sdk/forgeTypes';

export { DiagnosticCode, defaultLintSeverity };
export type { LintSeverity };

// ---------------------------------------------------------------------------------
// Configuration (section `promptforge`; the same shape as initializationOptions)

export type HostConfig = { url: string } | { path: string };

export interface PromptForgeSettings {
  /** HOST (`name[:port]`) → a forge URL, or a local folder (one repo, or a folder of repos). */
  hosts?: Record<string, HostConfig>;
  /** Completes short refs (`ID:VERSION`, `REPO/ID:VERSION`). */
  defaultHost?: string;
  defaultRepo?: string;
  /** Version used when a URI names none; `HEAD` when unset. */
  defaultVersion?: string;
  /** NAME → full prompt URI, recognised like short refs inside SDK calls. */
  aliases?: Record<string, string>;
  /** Severity per diagnostic code. */
  lint?: Partial<Record<DiagnosticCode, LintSeverity>>;
  /** Extra call names (`loadPrompt`, `pf.fetch`) in which short refs are recognised. */
  sdkCallPatterns?: string[];
}

export const configurationSection = 'promptforge';

/** Environment variable other editors use for an API key sent to every remote host. */
export const apiKeyEnvironmentVariable = 'PROMPTFORGE_API_KEY';

/**
 * What a client handles beyond LSP, declared under `capabilities.experimental.promptforge`
 * at initialize. The VS Code extension sets both; a plain LSP client (Emacs, Neovim…) sets
 * none and gets neither the custom notifications nor `command:` links it cannot follow.
 */
export interface ClientExtensions {
  /** `promptforge/hostState`, `treeChanged`, `indexReady` and `hoverReady`. */
  notifications?: boolean;
  /** Hover links that run the extension's commands. */
  commandLinks?: boolean;
}
export const experimentalCapability = 'promptforge';

/** The extensions a client declared in its initialize capabilities. */
export function clientExtensions(capabilities: { experimental?: unknown } | undefined): ClientExtensions {
  const declared = (capabilities?.experimental as Record<string, unknown> | undefined)?.[experimentalCapability];
  if (typeof declared !== 'object' || declared === null) return {};
  const { notifications, commandLinks } = declared as Record<string, unknown>;
  return { notifications: notifications === true, commandLinks: commandLinks === true };
}

// ---------------------------------------------------------------------------------
// Shared shapes

export type HostState = 'loading' | 'connected' | 'stale' | 'unreachable' | 'error';

/** Names one prompt, optionally at a version spec (any form of DESIGN §2). */
export interface PromptTarget {
  host: string;
  repo: string;
  id: string;
  version?: string;
}

/** A prompt, whatever its version. */
export type PromptRef = Pick<PromptTarget, 'host' | 'repo' | 'id'>;

/** Param schemas, chat messages, usage metrics and reviews travel in the forge API's shapes. */
// How usage reads in the hover, the tree and Render & Test: one wording for both sides.
export { describeUsage, percent, type CallCounts } from '../../core/usageText';
export type { ChatMessage, Draft, ParamSpec, ParamsSchema, ParamType, Review, UsageSeries, VersionUsage } from '../../sdk/forgeTypes';

export interface VersionNode {
  sha: string;
  release?: string;
  labels: string[];
  author: string;
  date: string;
  message: string;
}

export interface LabelNode {
  name: string;
  /** Full SHA the label points at now. */
  sha: string;
  /** Release tagging that commit, if any. */
  release?: string;
}

export interface ReleaseNode {
  version: string;
  sha: string;
}

export interface PromptNode {
  id: string;
  /** `prompt://HOST/REPO/ID` */
  uri: string;
  description?: string;
  status: 'draft' | 'active' | 'deprecated';
  type: 'text' | 'chat';
  tags: string[];
  params: ParamsSchema;
  labels: LabelNode[];
  /** Highest first. */
  releases: ReleaseNode[];
  /** Newest first, a few entries; `promptforge/versions` has all of them. */
  history: VersionNode[];
}

export interface RepoNode {
  name: string;
  prompts: PromptNode[];
}

export interface HostNode {
  name: string;
  kind: 'remote' | 'local';
  /** The forge URL or the absolute folder. */
  location: string;
  state: HostState;
  /** Why the host is stale, unreachable or in error. */
  message?: string;
  repos: RepoNode[];
}

// ---------------------------------------------------------------------------------
// Requests (client → server). Answered from memory unless they write or render.

export interface TreeParams {
  /** Only this host; all hosts when absent. */
  host?: string;
}
export interface TreeResult {
  hosts: HostNode[];
}
export const TreeRequest = new RequestType<TreeParams, TreeResult, void>('promptforge/tree');

export interface VersionsParams {
  host: string;
  repo: string;
  id: string;
}
export interface VersionsResult {
  /** Newest first. */
  versions: VersionNode[];
  labels: LabelNode[];
  releases: ReleaseNode[];
  /** True when the host could not be reached and these come from the last sync. */
  stale: boolean;
}
export const VersionsRequest = new RequestType<VersionsParams, VersionsResult, void>('promptforge/versions');

export interface DocumentContentParams {
  /** A `promptforge:` document URI (see {@link formatDocumentUri}). */
  uri: string;
}
export interface DocumentContentResult {
  text: string;
  /** Full SHA of the version shown. */
  sha: string;
}
export const DocumentContentRequest = new RequestType<DocumentContentParams, DocumentContentResult, void>('promptforge/documentContent');

export interface DiffParams {
  host: string;
  repo: string;
  id: string;
  /** Version specs. */
  from: string;
  to: string;
}
export interface DiffResult {
  /** `promptforge:` document URIs pinned to the resolved SHAs. */
  left: string;
  right: string;
  leftSha: string;
  rightSha: string;
  /** Unified diff. */
  patch: string;
}
export const DiffRequest = new RequestType<DiffParams, DiffResult, void>('promptforge/diff');

export interface PromoteParams {
  host: string;
  repo: string;
  id: string;
  label: string;
  /** Version spec to point the label at. */
  version: string;
  /** The SHA the label points at as the user saw it; null when the label must not exist yet. */
  expected: string | null;
}
export interface PromoteResult {
  label: string;
  from: string | null;
  to: string;
}
/** Fails with {@link ErrorCodes.Conflict} (data: {@link ConflictData}) when `expected` is stale. */
export const PromoteRequest = new RequestType<PromoteParams, PromoteResult, ErrorData>('promptforge/promote');

export interface ReleaseParams {
  host: string;
  repo: string;
  id: string;
  /** Semver, e.g. `1.3.0`. */
  version: string;
  /** Version spec of the commit to tag. */
  ref: string;
  notes?: string;
}
export interface ReleaseResult {
  version: string;
  sha: string;
}
export const ReleaseRequest = new RequestType<ReleaseParams, ReleaseResult, ErrorData>('promptforge/release');

export interface CommitPromptParams {
  host: string;
  repo: string;
  id: string;
  /** Full text of the `.prompt` file. */
  content: string;
  /** SHA the edit started from; null for a new prompt. */
  base: string | null;
  message: string;
  branch?: string;
}
export interface CommitPromptResult {
  sha: string;
  /** `prompt://HOST/REPO/ID/SHA` */
  pinnedUri: string;
}
/** Fails with {@link ErrorCodes.Conflict} when the branch moved past `base`, {@link ErrorCodes.Invalid} when the file is invalid. */
export const CommitPromptRequest = new RequestType<CommitPromptParams, CommitPromptResult, ErrorData>('promptforge/commitPrompt');

export interface RenderParams {
  /** A prompt URI (its query params are used, then `params` on top); or `target`. */
  uri?: string;
  target?: PromptTarget;
  params?: Record<string, unknown>;
}
export interface RenderProblem {
  /** `missing_param`, `unknown_param`, `invalid_param`, `version_not_found`, … */
  code: string;
  message: string;
  param?: string;
}
export interface RenderResult {
  target: PromptTarget;
  type: 'text' | 'chat';
  /** Present when the prompt rendered (no problems). */
  text?: string;
  messages?: ChatMessage[];
  problems: RenderProblem[];
  sha?: string;
  /** `prompt://HOST/REPO/ID/SHA` */
  pinnedUri?: string;
  release?: string;
  labels: string[];
  params: ParamsSchema;
  template?: string;
}
export const RenderRequest = new RequestType<RenderParams, RenderResult, ErrorData>('promptforge/render');

export interface ResolveAtParams {
  textDocument: TextDocumentIdentifier;
  position: Position;
}
export interface ResolveAtResult {
  /** The reference expanded to a full prompt URI (short refs and aliases included). */
  uri: string;
  /** Pinned to the SHA the version resolves to now, when known. */
  pinnedUri?: string;
  target: PromptTarget;
  /** Query params as written. */
  params: Record<string, string>;
  range: Range;
}
/** The prompt reference under the cursor, or null. */
export const ResolveAtRequest = new RequestType<ResolveAtParams, ResolveAtResult | null, void>('promptforge/resolveAt');

/** A prompt and a version spec (absent: the configured default version, else HEAD). */
export type ResolveVersionParams = PromptTarget;
export interface ResolveVersionResult {
  /** The spec that was resolved (the default when none was given). */
  spec: string;
  /** Which form matched: `label`, `release`, `range`, `branch`, `sha`, `head`, … */
  kind: string;
  /** False for releases and SHAs, which never move. */
  movable: boolean;
  /** The full SHA, when the index knows it (a branch other than the default may be unknown). */
  sha?: string;
  /** The prompt's URI with the spec as written. */
  uri: string;
  /** The URI pinned to `sha`, when known. */
  pinnedUri?: string;
}
/**
 * Resolves a version spec of a prompt with the forge's rules (core's resolver: labels,
 * releases, ranges, branches, `~N`, SHA prefixes), from the index. Fails with
 * `prompt_not_found`, `invalid_version`, `version_not_found` or `ambiguous_version`.
 */
export const ResolveVersionRequest = new RequestType<ResolveVersionParams, ResolveVersionResult, ErrorData>('promptforge/resolveVersion');

export interface FindUsagesParams {
  host: string;
  repo: string;
  id: string;
}
export const FindUsagesRequest = new RequestType<FindUsagesParams, Location[], void>('promptforge/findUsages');

export interface HostStatus {
  name: string;
  kind: 'remote' | 'local';
  location: string;
  state: HostState;
  message?: string;
  repos: number;
  prompts: number;
  /** ISO time of the last successful sync. */
  syncedAt?: string;
}
export interface HostStatusResult {
  hosts: HostStatus[];
}
export const HostStatusRequest = new RequestType<void, HostStatusResult, void>('promptforge/hostStatus');

export interface RefreshParams {
  host?: string;
}
/** Reloads hosts from their source now; resolves when done. */
export const RefreshRequest = new RequestType<RefreshParams, HostStatusResult, void>('promptforge/refresh');

export interface UsageParams {
  host: string;
  repo: string;
  id: string;
  /** ISO time: only usage at or after it. */
  since?: string;
  /** Also answer calls and success rate per version per UTC hour or day. */
  bucket?: 'hour' | 'day';
}
export interface UsageResult {
  /** Per-version metrics, most recently used first. */
  versions: VersionUsage[];
  series?: UsageSeries;
}
/** Fails with {@link ErrorCodes.Invalid} (`usage_unavailable`) for hosts that record no usage (local folders). */
export const UsageRequest = new RequestType<UsageParams, UsageResult, ErrorData>('promptforge/usage');

/** An OpenAI-compatible endpoint, for hosts without a forge to review with (local folders). */
export interface LlmEndpoint {
  /** Base URL up to and including `/v1`. */
  url: string;
  model: string;
  apiKey?: string;
}
export interface ReviewParams {
  host: string;
  repo: string;
  id: string;
  /** Version spec to review; the default branch's newest version when absent. */
  version?: string;
  /** What to aim for, e.g. "shorter answers". */
  instruction?: string;
  /** Used by local hosts only: a forge reviews with the endpoint in its forge.yaml. */
  llm?: LlmEndpoint;
}
/** Asks an LLM to review a version: summary, suggestions, revised file and its diff. Never writes. */
export const ReviewRequest = new RequestType<ReviewParams, Review, ErrorData>('promptforge/review');

export interface ApplyReviewParams {
  host: string;
  repo: string;
  id: string;
  /** The complete revised file. */
  content: string;
  /** The reviewed version (the review's `sha`). */
  base: string;
  message?: string;
}
export interface ApplyReviewResult {
  sha: string;
  /** `review/ID-YYYYMMDD[-n]` */
  branch: string;
  /** `prompt://HOST/REPO/ID/SHA` */
  pinnedUri: string;
  /** The draft branch's newest version: `prompt://HOST/REPO/ID/review/ID-YYYYMMDD/HEAD` */
  branchUri: string;
}
/** Commits a revised file as a draft on its own branch; the default branch and labels stay put. */
export const ApplyReviewRequest = new RequestType<ApplyReviewParams, ApplyReviewResult, ErrorData>('promptforge/applyReview');

// ---------------------------------------------------------------------------------
// Notifications

export interface IndexReadyParams {
  hosts: number;
  prompts: number;
}
/** Server → client: the first load of every host finished (whether or not it succeeded). */
export const IndexReadyNotification = new NotificationType<IndexReadyParams>('promptforge/indexReady');

export interface HostStateParams {
  host: string;
  state: HostState;
  message?: string;
}
/** Server → client: a host's state changed. */
export const HostStateNotification = new NotificationType<HostStateParams>('promptforge/hostState');

export interface TreeChangedParams {
  host: string;
  repo?: string;
  id?: string;
}
/** Server → client: prompts, labels, releases or versions under this host changed. */
export const TreeChangedNotification = new NotificationType<TreeChangedParams>('promptforge/treeChanged');

export interface HoverReadyParams {
  host: string;
  repo: string;
  id: string;
  /** What arrived: a version's render, or the prompt's usage. */
  what: 'render' | 'usage';
  /** The rendered version. */
  sha?: string;
}
/** Server → client: a background fetch a hover shows finished; the next hover includes it. */
export const HoverReadyNotification = new NotificationType<HoverReadyParams>('promptforge/hoverReady');

export interface SetApiKeysParams {
  /** HOST → API key. A host missing from the map has no key. */
  keys: Record<string, string>;
}
/** Client → server: API keys from the editor's secret storage (never from settings). */
export const SetApiKeysNotification = new NotificationType<SetApiKeysParams>('promptforge/setApiKeys');

// ---------------------------------------------------------------------------------
// Errors of custom requests: a JSON-RPC error code per kind, with `data.code` naming
// core's error code (core/errors.ts), the same word the forge answers with.

export type { ErrorCode, ErrorKind };

export const ErrorCodes = {
  NotFound: -32001,
  Conflict: -32002,
  Invalid: -32003,
  HostUnreachable: -32004,
  Unauthorized: -32005,
  Failed: -32006,
} as const;

/** The JSON-RPC error code a request fails with for an error code. */
export function rpcErrorCode(code: ErrorCode): number {
  const kind = errorKind(code);
  switch (kind) {
    case 'not_found':
      return ErrorCodes.NotFound;
    case 'conflict':
      return ErrorCodes.Conflict;
    case 'invalid':
    case 'params':
    case 'prompt':
      return ErrorCodes.Invalid;
    case 'unreachable':
      return ErrorCodes.HostUnreachable;
    case 'unauthorized':
      return ErrorCodes.Unauthorized;
    case 'failed':
      return ErrorCodes.Failed;
    default:
      return unhandled(kind);
  }
}

export interface ErrorData {
  /** Core's error code: `label_conflict`, `version_not_found`, `invalid_prompt`, … */
  code: ErrorCode;
}
export interface ConflictData extends ErrorData {
  code: 'label_conflict' | 'branch_conflict';
  /** What the label or branch points at now. */
  current: string | null;
}

// ---------------------------------------------------------------------------------
// `promptforge:` read-only documents: promptforge://HOST/REPO/ID.prompt?version=SPEC

export const documentScheme = 'promptforge';

export function formatDocumentUri(target: PromptTarget): string {
  const version = target.version ? `?version=${encodeURIComponent(target.version)}` : '';
  return `${documentScheme}://${target.host}/${target.repo}/${target.id}.prompt${version}`;
}

/** Parses a `promptforge:` URI, tolerating the percent-encoding editors apply to it. */
export function parseDocumentUri(uri: string): PromptTarget | undefined {
  const match = /^promptforge:\/\/([^/?#]+)\/([^/?#]+)\/([^/?#]+)\.prompt(?:\?([^#]*))?$/.exec(uri);
  if (!match) return undefined;
  const [, host, repo, id, query] = match.map((part) => (part === undefined ? part : safeDecode(part)));
  const target: PromptTarget = { host, repo, id };
  if (query) {
    for (const pair of query.split('&')) {
      const eq = pair.indexOf('=');
      if (eq > 0 && pair.slice(0, eq) === 'version') target.version = safeDecode(pair.slice(eq + 1));
    }
  }
  return target;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// ---------------------------------------------------------------------------------
// Commands the server names in hover links and code actions; the client registers them.

export const Commands = {
  openPrompt: 'promptforge.openPrompt',
  diffVersions: 'promptforge.diffVersions',
  compareWithProduction: 'promptforge.compareWithProduction',
  promoteVersion: 'promptforge.promoteVersion',
  createRelease: 'promptforge.createRelease',
  editPrompt: 'promptforge.editPrompt',
  newPrompt: 'promptforge.newPrompt',
  copyUri: 'promptforge.copyUri',
  copyPinnedUri: 'promptforge.copyPinnedUri',
  findUsages: 'promptforge.findUsages',
  setApiKey: 'promptforge.setApiKey',
  renderAndTest: 'promptforge.renderAndTest',
  reviewWithLlm: 'promptforge.reviewWithLlm',
  showLogs: 'promptforge.showLogs',
  refresh: 'promptforge.refresh',
  addHost: 'promptforge.addHost',
  openDemo: 'promptforge.openDemo',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/**
 * Arguments the server puts in command links (`command:ID?ARGS` in hovers, one JSON
 * argument): open/compare/promote/edit/copy/findUsages take a {@link PromptTarget};
 * diffVersions takes {@link DiffParams} (from/to optional); renderAndTest takes
 * {@link RenderParams}.
 */
export type CommandArgument = PromptTarget | Partial<DiffParams> | RenderParams;

/** Builds a Markdown command link, e.g. for a hover. */
export function commandLink(title: string, command: CommandId, argument: CommandArgument): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify([argument]))})`;
}

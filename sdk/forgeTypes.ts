/**
 * Shapes of the forge HTTP API (`/api/v1`), as the forge answers them. The forge may
 * add fields; these name the ones clients rely on.
 */

import type { ParamType } from '../core/promptFile';
import type { ChatMessage } from '../core/template';
// Shapes the forge builds and the SDK reads are core's (core/wire.ts): neither layer may import the other.
import type { ReviewResult, Series, VersionMetrics } from '../core/wire';
import type { Experiment, ExperimentResults, Guardrail } from '../core/experiments';

export type { Experiment, ExperimentResults, Guardrail };

/** `PUT …/experiments/:label`: a new definition, or a change (fields left out are kept). */
export interface ExperimentRequest {
  variants?: { version: string; weight: number; name?: string }[];
  coverage?: number;
  seed?: string;
  guardrails?: Guardrail[];
  minCalls?: number;
  expected?: string;
  reason?: string;
}

export interface ExperimentChangeAnswer {
  repo: string;
  action: 'start' | 'change' | 'ramp' | 'stop' | 'conclude';
  tip: string;
  experiment: Experiment;
  promoted?: { from: string | null; to: string; by: string; [extra: string]: unknown };
}

export interface ExperimentHistoryEntry {
  action: 'start' | 'change' | 'ramp' | 'stop' | 'auto-stop' | 'conclude';
  by: string;
  at: string;
  reason: string | null;
  experiment: Experiment;
  figures?: unknown;
  promoted?: { variant: string; sha: string; from: string };
}

export interface ExperimentStatus {
  repo: string;
  tip: string;
  experiment: Experiment;
  results: ExperimentResults;
  /** Newest first. */
  history: ExperimentHistoryEntry[];
}

export type { ChatMessage, ParamType };

/** A param's schema as the API answers it (core's `ParamSchema`, with `type` optional on the wire). */
export interface ParamSpec {
  type?: ParamType;
  required?: boolean;
  default?: unknown;
  enum?: unknown[];
  description?: string;
}

export type ParamsSchema = Record<string, ParamSpec>;

export interface RepoSummary {
  name: string;
  prompts: number;
  defaultBranch?: string;
  branches?: string[];
  [extra: string]: unknown;
}

export interface PromptSummary {
  id: string;
  description?: string;
  params: ParamsSchema;
  tags?: string[];
  /** label → full SHA it points at. */
  labels: Record<string, string>;
  /** The newest version on the default branch. */
  latest?: { sha: string; release?: string | null; date?: string; [extra: string]: unknown };
  status?: 'draft' | 'active' | 'deprecated';
  type?: 'text' | 'chat';
  [extra: string]: unknown;
}

export interface VersionEntry {
  sha: string;
  release: string | null;
  labels: string[];
  author: string;
  date: string;
  message: string;
  [extra: string]: unknown;
}

export interface Resolution {
  uri: string;
  canonical: string;
  repo: string;
  id: string;
  sha: string;
  release: string | null;
  labels: string[];
  template: string;
  params: ParamsSchema;
  text: string | null;
  messages: ChatMessage[] | null;
  type?: 'text' | 'chat';
  /** The prompts the template includes, transitively, at the same commit, with their params. */
  partials?: Record<string, { template: string; params: ParamsSchema }>;
  /** The values rendered, defaults applied. */
  values?: Record<string, unknown>;
  /** Which version form matched: `label`, `release`, `sha`, … */
  kind?: string;
  [extra: string]: unknown;
}

export interface DiffResult {
  from: string;
  to: string;
  diff: string;
  [extra: string]: unknown;
}

export interface LabelMove {
  label: string;
  from: string | null;
  to: string;
  by?: string;
  at?: string;
  [extra: string]: unknown;
}

export interface ReleaseRequest {
  version: string;
  ref: string;
  notes?: string;
}

export interface CommitRequest {
  content: string;
  /** The commit the edit started from; 409 when the branch has moved past it. */
  base?: string;
  message?: string;
  branch?: string;
}

export interface UsageEvent {
  repo?: string;
  id?: string;
  sha?: string;
  /** A pinned URI, instead of repo/id/sha. */
  uri?: string;
  trackingId?: string;
  success?: boolean;
  latencyMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  model?: string;
  /** −1…1 */
  feedback?: number;
  metadata?: Record<string, unknown>;
  /** ISO time. */
  at?: string;
  /** The user agreed that this call's text may be kept; `input` and `output` are refused without it. */
  consent?: boolean;
  /** What went into the model and what came out (text, or JSON), up to 16,384 characters each. */
  input?: unknown;
  output?: unknown;
  /** The experiment (key) and variant the call was assigned to; the SDK fills them in. */
  experiment?: string;
  variant?: string;
}

/** Per-version metrics as the forge computes them; the forge may add fields. */
export type VersionUsage = VersionMetrics & { [extra: string]: unknown };

export interface UsageMetrics {
  versions: VersionUsage[];
  [extra: string]: unknown;
}

/** Calls and success rate per version per UTC hour or day (`GET …/usage?bucket=`). */
export type UsageSeries = Series;

/** A review's answer: the model's summary, suggestions and revised file, with its diff. */
export type Review = ReviewResult;

export interface ReviewRequest {
  /** Version spec to review; the default branch's newest version when absent. */
  version?: string;
  /** What to aim for, e.g. "shorter answers". */
  instruction?: string;
}

export interface ApplyReviewRequest {
  /** The complete revised prompt file. */
  content: string;
  /** The reviewed version (the review's `sha`). */
  base: string;
  message?: string;
}

/** A draft committed on its own `review/ID-YYYYMMDD` branch. */
export interface Draft {
  repo: string;
  id: string;
  sha: string;
  branch: string;
  path: string;
}

/** One server-sent event of `GET /api/v1/events`: a label move, a new version, a release. */
export interface ForgeEvent {
  /** The SSE event name, e.g. `label`, `version`, `release`. */
  type: string;
  /** The SSE id, sent back as `Last-Event-ID` on reconnect. */
  eventId?: string;
  /** The event's JSON payload: typically `repo`, `id`, and `label`/`sha`/`release`. */
  data: { repo?: string; id?: string; [field: string]: unknown };
}

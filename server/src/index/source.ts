/**
 * Where a host's prompts come from: a forge over HTTP (remote) or git repos on disk
 * (local). The index loads snapshots from a source; reads that need a file's text
 * and every write go through it.
 */
import type { ChatMessage, Draft, LlmEndpoint, ParamsSchema, Review, UsageSeries, VersionUsage } from '../protocol';
import { errorKind, type ErrorCode, type ErrorKind } from '../../../core/errors';
import type { IndexedRepo } from './model';

export interface RenderedVersion {
  sha: string;
  type: 'text' | 'chat';
  text?: string;
  messages?: ChatMessage[];
  template: string;
  params: ParamsSchema;
  release?: string;
  labels: string[];
}

/** How often a version was used, and how often it succeeded. */
export type VersionCalls = Pick<VersionUsage, 'sha' | 'calls' | 'successRate'>;

export interface ReviewInput {
  version?: string;
  instruction?: string;
  /** The editor's endpoint, for sources that review in process (a forge uses its own). */
  llm?: LlmEndpoint;
}

export interface HostSource {
  readonly kind: 'remote' | 'local';
  /** Forge URL or absolute folder. */
  readonly location: string;
  /** Everything the index holds about this host, read now. */
  load(): Promise<IndexedRepo[]>;
  /**
   * Calls `onChange` when a prompt (or, without id, anything) in a repo changes, and
   * `onLink` when the live link to the source breaks or comes back; returns a stop function.
   */
  follow(onChange: (repo: string, id?: string) => void, onLink: (up: boolean, message?: string) => void): () => void;
  /** The full `.prompt` file text at a version. */
  content(repo: string, id: string, version: string): Promise<{ sha: string; source: string }>;
  render(repo: string, id: string, version: string, params: Record<string, unknown>): Promise<RenderedVersion>;
  diff(repo: string, id: string, from: string, to: string): Promise<{ fromSha: string; toSha: string; patch: string }>;
  promote(repo: string, id: string, label: string, version: string, expected: string | null): Promise<{ from: string | null; to: string }>;
  release(repo: string, id: string, version: string, ref: string, notes?: string): Promise<{ version: string; sha: string }>;
  commitPrompt(repo: string, id: string, input: { content: string; base: string | null; message: string; branch?: string }): Promise<{ sha: string }>;
  /** Per-version usage, where the source records it (a forge does; a folder of repos does not). */
  usage?(repo: string, id: string, since?: string): Promise<VersionUsage[]>;
  usageSeries?(repo: string, id: string, bucket: 'hour' | 'day', since?: string): Promise<UsageSeries>;
  /** Asks an LLM to review a version; reads only. */
  review(repo: string, id: string, input: ReviewInput): Promise<Review>;
  /** Commits a revised file as a draft on a new `review/ID-YYYYMMDD` branch. */
  applyReview(repo: string, id: string, input: { content: string; base: string; message?: string }): Promise<Draft>;
  close(): Promise<void>;
}

/** A failure a user can act on, named by one of core's error codes (`version_not_found`, `label_conflict`, …). */
export class SourceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** What the user can do about it, from core's one table. */
  get kind(): ErrorKind {
    return errorKind(this.code);
  }
}

/** How long to wait before reconnecting to a host: the first delay doubles per failure up to the last. */
export interface ReconnectDelays {
  firstMs: number;
  maxMs: number;
}

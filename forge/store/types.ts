/**
 * The public shapes of the prompt store: what the HTTP API, the SDK's local mode and
 * the language server's local mode read from a git-backed prompt repository.
 */
import type { Problem } from '../../core/text';
import type { ChatMessage, PromptCommit, PromptFile, VersionKind } from './core';

export type { ChatMessage, PromptCommit, PromptFile, VersionKind };

/** Who makes a write: becomes the git author/committer or the tagger. */
export interface Actor {
  name: string;
  email?: string;
}

/** One prompt on the default branch, as listed by `listPrompts()`. */
export interface PromptSummary {
  id: string;
  /** Path of the `.prompt` file inside the repository. */
  path: string;
  type: PromptFile['type'];
  description?: string;
  /** Declared parameters. */
  params: PromptFile['params'];
  tags: string[];
  status: PromptFile['status'];
  /** label → commit sha */
  labels: Record<string, string>;
  /** Newest version on the default branch. */
  latest: { sha: string; release?: string; date: string };
  /** Problems found in the file (parse errors, duplicate ids); absent when clean. */
  problems?: Problem[];
}

/** One version of a prompt (a commit that changed it), newest first in `versions()`. */
export interface VersionInfo {
  sha: string;
  /** Highest release tagging this commit, if any. */
  release?: string;
  releases: string[];
  labels: string[];
  author: string;
  email?: string;
  date: string;
  message: string;
}

export interface ResolvedPrompt {
  repo: string;
  id: string;
  /** Full sha of the version commit (the newest commit at or before the spec that changed the prompt). */
  sha: string;
  /** Which version form matched (`head`, `label`, `release`, `range`, `sha`, …), as core reports it. */
  kind: VersionKind;
  /** Highest release tagging this version, if any. */
  release?: string;
  /** Labels currently pointing at this version. */
  labels: string[];
  path: string;
  /** Object id of the file's blob. */
  blob: string;
  /** The file text. */
  source: string;
  file: PromptFile;
  commit: PromptCommit;
}

export interface RenderedPrompt extends ResolvedPrompt {
  text?: string;
  messages?: ChatMessage[];
  /** The parameter values used, defaults applied. */
  values: Record<string, unknown>;
}

export interface DiffResult {
  from: ResolvedPrompt;
  to: ResolvedPrompt;
  /** Unified diff of the two files. */
  patch: string;
}

/** One label move, as kept on `refs/promptforge/history`. */
export interface PromotionRecord {
  id: string;
  label: string;
  /** Previous target sha, or null when the label was created. */
  from: string | null;
  /** New target sha, or null when the label was deleted. */
  to: string | null;
  actor: Actor;
  /** ISO time of the move. */
  at: string;
  message?: string;
}

/** A move that left the label set (what a promotion returns). */
export type Promotion = PromotionRecord & { to: string };

export interface ReleaseInfo {
  id: string;
  version: string;
  sha: string;
  /** Object id of the annotated tag. */
  tag: string;
  notes?: string;
  actor: Actor;
  at: string;
}

export interface CommitInput {
  /** Full text of the new `.prompt` file. */
  content: string;
  /**
   * The version the edit started from (a commit sha of this prompt, or the branch tip).
   * Null or absent: the prompt must not exist yet on the branch.
   */
  base?: string | null;
  message: string;
  /** Defaults to the default branch; a new branch starts from the default branch. */
  branch?: string;
  /** Defaults to the prompt's current path, or `ID.prompt` for a new prompt. */
  path?: string;
}

export interface CommitResult {
  sha: string;
  path: string;
  branch: string;
}

export type StoreEvent =
  | { type: 'label'; repo: string; id: string; label: string; from: string | null; to: string | null }
  | { type: 'version'; repo: string; id: string; branch: string; sha: string }
  | { type: 'release'; repo: string; id: string; version: string; sha: string };

export interface OpenOptions {
  /** Repository name used in URIs and events; defaults to the folder name without `.git`. */
  name?: string;
  /** Follow changes made by others (fs.watch plus a fingerprint poll). Default true. */
  watch?: boolean;
}

export interface RenderOptions {
  /** Accept parameter values given as strings (from a URI query) and convert them. */
  fromStrings?: boolean;
}

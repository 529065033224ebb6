/**
 * Resolves a version spec against one prompt's indexed history, labels and releases,
 * from memory, through core's resolver — the rules the forge applies, so the editor
 * flags exactly what the forge would refuse. The index holds only the default branch's
 * history; where it cannot know the answer (another branch, a commit outside that
 * history) it says so instead of guessing, so no false "not found" is reported.
 */
import { resolveVersion as resolveInCore, type PromptCommit, type VersionSource } from '../../../core/version';
import { isShaLike, parseVersionSpec, type VersionKind } from '../../../core/versionSpec';
import type { IndexedPrompt, IndexedRepo } from './model';

export type Resolution =
  | { ok: true; kind: VersionKind; sha?: string; movable: boolean }
  | { ok: false; code: 'invalid_version' | 'version_not_found' | 'ambiguous_version'; message: string; candidates?: string[] };

const pinnedKinds: ReadonlySet<VersionKind> = new Set(['release', 'sha']);

export function resolveVersion(prompt: IndexedPrompt, repo: IndexedRepo | undefined, spec: string): Resolution {
  if (spec === '') return { ok: false, code: 'invalid_version', message: 'empty version' };
  const result = resolveInCore(spec, versionSource(prompt, repo));
  if (result.ok) return { ok: true, kind: result.kind, sha: result.sha, movable: !pinnedKinds.has(result.kind) };
  if (result.code === 'version_not_found') {
    const unknown = unknownHere(prompt, repo, spec);
    if (unknown) return unknown;
  }
  return { ok: false, code: result.code, message: result.message, ...(result.candidates.length ? { candidates: result.candidates } : {}) };
}

/** What the index knows of one prompt, in the shape core resolves against. */
function versionSource(prompt: IndexedPrompt, repo: IndexedRepo | undefined): VersionSource {
  const defaultBranch = repo?.defaultBranch ?? 'main';
  const history: PromptCommit[] = prompt.versions.map(({ sha, author, date, message }) => ({ sha, author, date, message }));
  const known = [...new Set([...history.map((v) => v.sha), ...Object.values(prompt.labels), ...Object.values(prompt.releases)])];
  return {
    defaultBranch,
    branches: history.length > 0 ? { [defaultBranch]: history } : {},
    labels: prompt.labels,
    releases: prompt.releases,
    matchSha: (prefix) => known.filter((sha) => sha.startsWith(prefix)),
    historyAt: (sha) => {
      const at = history.findIndex((v) => v.sha === sha);
      return at < 0 ? [] : history.slice(at);
    },
  };
}

/** A miss that only means the index does not hold that part of the repo. */
function unknownHere(prompt: IndexedPrompt, repo: IndexedRepo | undefined, spec: string): Resolution | undefined {
  const { base } = parseVersionSpec(spec);
  const name = base.endsWith('/HEAD') ? base.slice(0, -'/HEAD'.length) : base;
  const otherBranch = !!repo && name !== repo.defaultBranch && repo.branches.includes(name);
  if (otherBranch) return { ok: true, kind: 'branch', movable: true };
  // A commit that did not change this prompt still names a version of it.
  if (isShaLike(base)) return { ok: true, kind: 'sha', movable: false };
  // The default branch's history is still loading.
  if (prompt.versions.length === 0 && (base === 'HEAD' || name === repo?.defaultBranch)) return { ok: true, kind: 'head', movable: true };
  return undefined;
}

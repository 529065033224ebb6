/**
 * Resolves a version spec against plain data describing one prompt (no git here): the
 * precedence table of DESIGN §2, first match wins, then `~N` walks the prompt's own
 * history. Misses and ambiguities name what was looked for and the candidates.
 */
import semver from 'semver';
import { suggest } from './suggest';
import { exactRelease, kindsOf, parseVersionSpec, quote, type VersionKind } from './versionSpec';

export { suggest };

export interface PromptCommit {
  sha: string;
  author: string;
  email?: string;
  /** ISO 8601. */
  date: string;
  message: string;
}

/** Plain data describing ONE prompt; the forge store builds it from git. */
export interface VersionSource {
  defaultBranch: string;
  /** branch → commits that changed this prompt, newest first (only branches where the prompt exists). */
  branches: Record<string, PromptCommit[]>;
  /** label → full commit sha (`refs/labels/ID/LABEL`). */
  labels: Record<string, string>;
  /** semver without `v` → full commit sha (tags `ID@SEMVER`). */
  releases: Record<string, string>;
  /** Full SHAs of commits in the repo starting with `prefix` (lowercase hex). */
  matchSha(prefix: string): string[];
  /** This prompt's versions reachable from `sha`, newest first; [0] is the version in effect at `sha`. */
  historyAt(sha: string): PromptCommit[];
}

export type VersionResolution =
  | { ok: true; sha: string; kind: VersionKind; release?: string; labels: string[] }
  | { ok: false; code: 'invalid_version' | 'version_not_found' | 'ambiguous_version'; message: string; candidates: string[] };

type Failure = Extract<VersionResolution, { ok: false }>;
type Match = { sha: string } | Failure | undefined;

/** `undefined` and `''` mean `HEAD`. */
export function resolveVersion(spec: string | undefined, source: VersionSource): VersionResolution {
  const text = spec ?? '';
  const { base, ancestor, errors } = parseVersionSpec(text);
  if (errors.length) return { ok: false, code: 'invalid_version', message: errors[0].message, candidates: [] };
  const kinds = kindsOf(base);
  for (const kind of kinds) {
    const match = matchKind(kind, base, kinds, source);
    if (match === undefined) continue;
    if ('ok' in match) return match;
    return finish(text, base, kind, match.sha, ancestor, source);
  }
  return notFound(text, base, kinds, source);
}

function matchKind(kind: VersionKind, base: string, kinds: VersionKind[], source: VersionSource): Match {
  switch (kind) {
    case 'head':
      return tip(source, source.defaultBranch);
    case 'branch-head':
      return tip(source, base.slice(0, -'/HEAD'.length));
    case 'label':
      return own(source.labels, base) ? { sha: source.labels[base] } : undefined;
    case 'release': {
      const version = exactRelease(base)!;
      return own(source.releases, version) ? { sha: source.releases[version] } : undefined;
    }
    case 'range':
      return release(source, semver.maxSatisfying(Object.keys(source.releases), base));
    case 'latest':
      return release(source, semver.maxSatisfying(Object.keys(source.releases), '*')) ?? tip(source, source.defaultBranch);
    case 'channel':
      return release(source, highestPrerelease(source, base));
    case 'branch': {
      const found = tip(source, base);
      // A branch named like a SHA prefix must never be silently taken for a commit, nor the reverse.
      if (found && kinds.includes('sha')) {
        const shas = source.matchSha(base.toLowerCase());
        if (shas.length) {
          return ambiguous(base, `is both a branch and the start of ${shas.length === 1 ? 'a commit SHA' : `${shas.length} commit SHAs`}`, [`${base}/HEAD`, ...shas]);
        }
      }
      return found;
    }
    case 'sha': {
      const shas = source.matchSha(base.toLowerCase());
      if (shas.length > 1) return ambiguous(base, `is the start of ${shas.length} commit SHAs`, shas);
      return shas.length === 1 ? { sha: shas[0] } : undefined;
    }
  }
}

function finish(spec: string, base: string, kind: VersionKind, found: string, ancestor: number, source: VersionSource): VersionResolution {
  let sha = found;
  // A SHA names "the prompt as of that commit": the version in effect there.
  if (ancestor > 0 || kind === 'sha') {
    const history = source.historyAt(found);
    if (history.length === 0) {
      return { ok: false, code: 'version_not_found', message: `version ${quote(spec)} not found: the prompt does not exist at commit ${found}`, candidates: [] };
    }
    if (ancestor >= history.length) {
      const versions = history.length === 1 ? '1 version' : `${history.length} versions`;
      return {
        ok: false,
        code: 'version_not_found',
        message: `version ${quote(spec)} not found: ${quote(base)} has ${versions} in its history, so the earliest is ${base || 'HEAD'}~${history.length - 1}`,
        candidates: [],
      };
    }
    sha = history[ancestor].sha;
  }
  return { ok: true, sha, kind, release: releaseOf(sha, source), labels: labelsAt(sha, source) };
}

function tip(source: VersionSource, branch: string): { sha: string } | undefined {
  const commits = own(source.branches, branch) ? source.branches[branch] : undefined;
  return commits && commits.length ? { sha: commits[0].sha } : undefined;
}

function release(source: VersionSource, version: string | null | undefined): { sha: string } | undefined {
  return version ? { sha: source.releases[version] } : undefined;
}

function highestPrerelease(source: VersionSource, channel: string): string | undefined {
  let best: string | undefined;
  for (const version of Object.keys(source.releases)) {
    if (semver.valid(version) === null || semver.prerelease(version)?.[0] !== channel) continue;
    if (best === undefined || semver.gt(version, best)) best = version;
  }
  return best;
}

/** The highest release tagged on `sha` (prereleases included), if any. */
export function releaseOf(sha: string, source: Pick<VersionSource, 'releases'>): string | undefined {
  let best: string | undefined;
  for (const [version, target] of Object.entries(source.releases)) {
    if (target !== sha || semver.valid(version) === null) continue;
    if (best === undefined || semver.gt(version, best)) best = version;
  }
  return best;
}

/** Labels pointing at `sha`, sorted. */
export function labelsAt(sha: string, source: Pick<VersionSource, 'labels'>): string[] {
  return Object.keys(source.labels).filter((label) => source.labels[label] === sha).sort();
}

function ambiguous(base: string, why: string, candidates: string[]): Failure {
  return { ok: false, code: 'ambiguous_version', message: `version ${quote(base)} is ambiguous: it ${why}: ${candidates.join(', ')}`, candidates };
}

const NAMED: Partial<Record<VersionKind, string>> = { label: 'label', release: 'release', branch: 'branch', sha: 'commit' };

function notFound(spec: string, base: string, kinds: VersionKind[], source: VersionSource): Failure {
  const fail = (detail: string, candidates: string[], hint = 'did you mean'): Failure => ({
    ok: false,
    code: 'version_not_found',
    message: `version ${quote(spec)} not found: ${detail}${candidates.length ? ` (${hint}: ${candidates.join(', ')})` : ''}`,
    candidates,
  });
  if (kinds[0] === 'head') {
    const others = Object.keys(source.branches).filter((b) => source.branches[b].length).map((b) => `${b}/HEAD`);
    return fail(`the prompt has no versions on the default branch ${quote(source.defaultBranch)}`, others, 'it exists on');
  }
  const misses: string[] = [];
  if (kinds[0] === 'branch-head') misses.push(`no branch ${quote(base.slice(0, -5))} has this prompt`);
  if (kinds.includes('range')) misses.push(`no release satisfies the range ${quote(base)}`);
  if (kinds.includes('channel')) misses.push(`no ${base} prerelease`);
  const nouns = kinds.flatMap((kind) => NAMED[kind] ?? []);
  if (nouns.length) misses.push(`no ${nouns.length > 1 ? `${nouns.slice(0, -1).join(', ')} or ${nouns[nouns.length - 1]}` : nouns[0]} named ${quote(base)}`);
  if (kinds.some((kind) => kind === 'release' || kind === 'range' || kind === 'channel')) {
    return fail(misses.join('; '), Object.keys(source.releases).filter((v) => semver.valid(v)).sort(semver.rcompare).slice(0, 5), 'releases');
  }
  const wanted = kinds[0] === 'branch-head' ? base.slice(0, -5) : base;
  const names = kinds[0] === 'branch-head' ? Object.keys(source.branches) : [...Object.keys(source.labels), ...Object.keys(source.releases), ...Object.keys(source.branches), 'HEAD', 'latest'];
  const close = suggest(wanted, names).map((name) => (kinds[0] === 'branch-head' ? `${name}/HEAD` : name));
  return fail(misses.join('; '), close);
}

function own(record: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

/**
 * Resolves a version spec against one prompt's indexed history, labels and releases,
 * by the precedence of DESIGN §2, from memory. When the index cannot know the answer
 * (a non-default branch, a commit outside the prompt's history) it says so instead of
 * guessing, so no false "not found" is reported.
 */
import semver from 'semver';
import { parseVersionSpec } from '../../../core/version';
import type { IndexedPrompt, IndexedRepo } from './model';

export type Resolution =
  | { ok: true; kind: VersionKind; sha?: string; movable: boolean }
  | { ok: false; code: 'invalid-version' | 'version-not-found' | 'ambiguous-version'; message: string; candidates?: string[] };

export type VersionKind = 'head' | 'label' | 'release' | 'range' | 'latest' | 'channel' | 'branch' | 'sha';

const channels = new Set(['alpha', 'beta', 'canary', 'rc']);
const hex = /^[0-9a-f]{7,40}$/i;

export function resolveVersion(prompt: IndexedPrompt, repo: IndexedRepo | undefined, spec: string): Resolution {
  // The same grammar the forge enforces, so the editor flags exactly what would be refused.
  const parsed = parseVersionSpec(spec);
  if (spec === '' || parsed.errors.length > 0) return { ok: false, code: 'invalid-version', message: parsed.errors[0]?.message ?? 'empty version' };
  const base = resolveBase(prompt, repo, parsed.base || 'HEAD');
  if (parsed.ancestor === 0 || !base.ok) return base;
  if (!base.sha) return { ...base, movable: true };
  const at = prompt.versions.findIndex((v) => v.sha === base.sha);
  const back = at < 0 ? undefined : prompt.versions[at + parsed.ancestor];
  if (at >= 0 && !back) return { ok: false, code: 'version-not-found', message: `${parsed.base} has fewer than ${parsed.ancestor} earlier versions of "${prompt.id}"` };
  return { ok: true, kind: base.kind, ...(back ? { sha: back.sha } : {}), movable: base.movable };
}

function resolveBase(prompt: IndexedPrompt, repo: IndexedRepo | undefined, spec: string): Resolution {
  const head = prompt.head ?? prompt.versions[0]?.sha;
  if (spec === 'HEAD') return { ok: true, kind: 'head', ...(head ? { sha: head } : {}), movable: true };
  if (spec.endsWith('/HEAD')) return branch(prompt, repo, spec.slice(0, -5), head, true);
  if (prompt.labels[spec]) return { ok: true, kind: 'label', sha: prompt.labels[spec], movable: true };
  const exact = semver.valid(spec.replace(/^v/, ''));
  if (exact) {
    const sha = prompt.releases[exact];
    return sha ? { ok: true, kind: 'release', sha, movable: false } : notFound(prompt, `no release ${exact} of "${prompt.id}"`);
  }
  const releases = Object.keys(prompt.releases).filter((r) => semver.valid(r));
  if (spec === 'latest') {
    const best = semver.maxSatisfying(releases, '*');
    return best ? { ok: true, kind: 'latest', sha: prompt.releases[best], movable: true } : { ok: true, kind: 'latest', ...(head ? { sha: head } : {}), movable: true };
  }
  if (channels.has(spec)) {
    const tagged = releases.filter((r) => semver.prerelease(r)?.[0] === spec).sort(semver.rcompare);
    return tagged[0] ? { ok: true, kind: 'channel', sha: prompt.releases[tagged[0]], movable: true } : notFound(prompt, `no ${spec} prerelease of "${prompt.id}"`);
  }
  if (!hex.test(spec) && isRange(spec)) {
    const best = semver.maxSatisfying(releases, spec, { includePrerelease: /-/.test(spec) });
    return best ? { ok: true, kind: 'range', sha: prompt.releases[best], movable: true } : notFound(prompt, `no release of "${prompt.id}" matches ${spec}`);
  }
  if (repo?.branches.includes(spec) || spec === repo?.defaultBranch) return branch(prompt, repo, spec, head, false);
  if (hex.test(spec)) {
    const matches = prompt.versions.filter((v) => v.sha.startsWith(spec.toLowerCase())).map((v) => v.sha);
    if (matches.length > 1) return { ok: false, code: 'ambiguous-version', message: `${spec} matches several versions of "${prompt.id}": ${matches.map((s) => s.slice(0, 12)).join(', ')}`, candidates: matches };
    // A commit that did not change this prompt still names a version of it: unknown here, not wrong.
    return { ok: true, kind: 'sha', ...(matches[0] ? { sha: matches[0] } : {}), movable: false };
  }
  // Remote hosts do not list branches: an unknown name may be one of them.
  if (repo && repo.branches.length === 0) return { ok: true, kind: 'branch', movable: true };
  return notFound(prompt, `"${prompt.id}" has no label, release or branch "${spec}"`);
}

function branch(prompt: IndexedPrompt, repo: IndexedRepo | undefined, name: string, head: string | undefined, explicitHead: boolean): Resolution {
  if (repo && name === repo.defaultBranch) return { ok: true, kind: explicitHead ? 'head' : 'branch', ...(head ? { sha: head } : {}), movable: true };
  if (repo && repo.branches.length > 0 && !repo.branches.includes(name)) return notFound(prompt, `repo "${repo.name}" has no branch "${name}"`);
  return { ok: true, kind: 'branch', movable: true };
}

function isRange(spec: string): boolean {
  return /^[\^~<>=]|\.x|\s|\|\|/.test(spec) || /^\d+(\.\d+)?$/.test(spec) ? semver.validRange(spec) !== null : false;
}

function notFound(prompt: IndexedPrompt, message: string): Resolution {
  const candidates = [...Object.keys(prompt.labels), ...Object.keys(prompt.releases), 'HEAD', 'latest'];
  return { ok: false, code: 'version-not-found', message, candidates };
}

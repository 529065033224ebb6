/**
 * Validation of every name that comes from a request before it goes near git: repo,
 * prompt id, label, branch, release version, version spec, file path, actor. Git's own
 * check-ref-format rules plus ours: nothing may start with `-` (so it can never be read
 * as an option), no `..`, no `@{`, no control characters, no `refs/` prefix tricks.
 * Each validator returns the accepted value or throws StoreError `invalid_name`.
 */
import semver from 'semver';
import { isValidSegment, SEGMENT_RULE } from '../../core/uri';
import { parseVersionSpec } from '../../core/version';
import { labelShadowing } from '../../core/labelName';
import { StoreError } from './errors';

const HEX_LIKE = /^[0-9a-fA-F]{7,40}$/;
const CONTROL = /[\x00-\x1f\x7f]/;
const MAX_NAME = 200;

function invalid(what: string, value: unknown, why: string): never {
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 80 ? value.slice(0, 80) + '…' : value) : String(value);
  throw new StoreError('invalid_name', `invalid ${what} ${shown}: ${why}`, { what, value });
}

function text(what: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) invalid(what, value, 'must be a non-empty string');
  if (value.length > MAX_NAME) invalid(what, value, `longer than ${MAX_NAME} characters`);
  if (CONTROL.test(value)) invalid(what, value, 'contains a control character');
  if (value.startsWith('-')) invalid(what, value, 'must not start with "-"');
  return value;
}

/** One ref component made of `[A-Za-z0-9._-]`, starting with a letter or digit. */
function segment(what: string, value: unknown): string {
  const name = text(what, value);
  if (!isValidSegment(name)) invalid(what, name, `use ${SEGMENT_RULE}`);
  if (name.includes('..')) invalid(what, name, 'must not contain ".."');
  if (name.endsWith('.') || name.endsWith('.lock')) invalid(what, name, 'must not end with "." or ".lock"');
  return name;
}

export function validateRepoName(value: unknown): string {
  return segment('repo name', value);
}

export function validatePromptId(value: unknown): string {
  return segment('prompt id', value);
}

/** A label name as git stores it (`refs/labels/ID/LABEL`): enough to read or delete any label. */
export function validateLabelName(value: unknown): string {
  return segment('label', value);
}

/**
 * A label a write may create or move: a valid name that does not shadow a release, a
 * range, a SHA, `HEAD`, `latest` or one of `branches` (422 `invalid_label`).
 */
export function validateLabel(value: unknown, branches: Iterable<string> = []): string {
  const label = validateLabelName(value);
  const why = labelShadowing(label, branches);
  if (why) throw new StoreError('invalid_label', `label "${label}" is not allowed: ${why}; pick a name such as "production" or "staging"`, { label });
  return label;
}

/**
 * A branch name by `git check-ref-format --branch` rules. Reading accepts any branch git
 * accepts; `forCreate` also refuses names that look like a commit sha, so no new branch
 * can shadow one.
 */
export function validateBranch(value: unknown, forCreate = false): string {
  const name = text('branch', value);
  if (/[\s~^:?*[\\]/.test(name)) invalid('branch', name, 'must not contain spaces or any of ~ ^ : ? * [ \\');
  if (name.includes('..')) invalid('branch', name, 'must not contain ".."');
  if (name.includes('@{') || name === '@') invalid('branch', name, 'must not contain "@{" or be "@"');
  if (name.includes('//') || name.startsWith('/') || name.endsWith('/')) invalid('branch', name, 'has an empty path component');
  if (name.endsWith('.')) invalid('branch', name, 'must not end with "."');
  if (name === 'HEAD' || name.startsWith('refs/')) invalid('branch', name, 'must be a plain branch name, not HEAD or a refs/ path');
  for (const part of name.split('/')) {
    if (part.startsWith('.') || part.endsWith('.lock')) invalid('branch', name, `component "${part}" starts with "." or ends with ".lock"`);
  }
  if (forCreate && HEX_LIKE.test(name)) invalid('branch', name, 'looks like a commit sha');
  return name;
}

/** A release version: strict semver, an optional leading `v` dropped. */
export function validateReleaseVersion(value: unknown): string {
  const raw = text('release version', value);
  const bare = raw.replace(/^v(?=\d)/, '');
  const parsed = semver.valid(bare);
  if (parsed === null || parsed !== bare) invalid('release version', raw, 'must be a semantic version such as 1.2.0');
  return parsed;
}

/** A version spec, checked by core's parser (no leading "-", spaces, control characters, "..", "@{"). */
export function validateVersionSpec(value: unknown): string {
  if (typeof value !== 'string' || value === '') invalid('version', value, 'must be a non-empty string');
  const { errors } = parseVersionSpec(value);
  if (errors.length > 0) throw new StoreError('invalid_name', errors[0].message, { what: 'version', value, problems: errors });
  return value;
}

/** A commit sha from a request (`expected`, `base`): 7–40 hex digits. */
export function validateSha(what: string, value: unknown): string {
  const sha = text(what, value);
  if (!/^[0-9a-f]{7,40}$/i.test(sha)) invalid(what, sha, 'must be a commit sha (7 to 40 hex digits)');
  return sha.toLowerCase();
}

/** A path for a prompt file: relative, `/`-separated, no hidden or `..` parts, ends in `ID.prompt`. */
export function validatePromptPath(value: unknown, id: string): string {
  const path = text('path', value);
  const parts = path.split('/');
  for (const part of parts) {
    if (part === '' || part === '.' || part === '..') invalid('path', path, 'has an empty, "." or ".." component');
    if (part.startsWith('.')) invalid('path', path, 'must not be inside a hidden folder');
    if (part.startsWith('-')) invalid('path', path, 'a component starts with "-"');
    if (/[\\:*?"<>|]/.test(part)) invalid('path', path, 'contains a character not allowed in file names');
  }
  if (parts[parts.length - 1] !== `${id}.prompt`) invalid('path', path, `must end with "${id}.prompt" (the file name is the prompt id)`);
  return path;
}

/** An actor name or email: printable, no angle brackets (they delimit git identities). */
export function validateActor(actor: unknown): { name: string; email?: string } {
  if (typeof actor !== 'object' || actor === null) invalid('actor', actor, 'must be an object with a name');
  const { name, email } = actor as { name?: unknown; email?: unknown };
  const n = text('actor name', name);
  if (/[<>]/.test(n)) invalid('actor name', n, 'must not contain < or >');
  if (email === undefined || email === '') return { name: n };
  const e = text('actor email', email);
  if (/[<>\s]/.test(e)) invalid('actor email', e, 'must not contain spaces, < or >');
  return { name: n, email: e };
}

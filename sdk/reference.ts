/**
 * From what an app writes (a URI, a short ref `ID:VERSION`, an alias) to a target: the
 * host, repo, id and version, the URI to resolve, and the cache key.
 */
import { expandReference, formatPromptUri } from '../core/uri';
import { classifyVersion, exactRelease, isShaLike, parseVersionSpec } from '../core/version';
import type { PromptEntry } from './entry';
import { PromptUriError } from './errors';

export interface Target {
  host: string;
  repo: string;
  id: string;
  version: string;
  /** Params written in the URI's query; undefined when it has none. */
  query: Record<string, string> | undefined;
  /** The full URI without its query: what is resolved. */
  uri: string;
  /**
   * Host, repo, id and `kinds:version`, one per line: whole-line parts keep `foo` apart
   * from `foobar`, and the kinds the version can name (`label|release|branch`) are
   * part of it, as every version is.
   */
  key: string;
}

export interface ReferenceDefaults {
  host?: string;
  repo?: string;
  version?: string;
}

export class ReferenceParser {
  /** Apps use a handful of references, so each is parsed once. */
  private readonly memo = new Map<string, Target>();

  constructor(
    private readonly defaults: ReferenceDefaults,
    private readonly aliases: Record<string, string>,
    private readonly hostNames: string[],
  ) {}

  parse(ref: string): Target {
    let target = this.memo.get(ref);
    if (target === undefined) {
      target = this.build(ref);
      if (this.memo.size >= 10_000) this.memo.clear();
      this.memo.set(ref, target);
    }
    return target;
  }

  private build(ref: string): Target {
    if (typeof ref !== 'string') throw new PromptUriError(String(ref), 'a prompt reference must be a string');
    const parsed = expandReference(ref, { defaults: { host: this.defaults.host, repo: this.defaults.repo }, aliases: this.aliases });
    if (!parsed.uri) {
      const error = parsed.errors[0];
      throw new PromptUriError(ref, parsed.errors.map((e) => e.message).join('; ') || 'not a prompt URI or short reference', error?.code);
    }
    const { host, repo, id, params } = parsed.uri;
    if (!this.hostNames.includes(host)) {
      throw new PromptUriError(ref, `unknown host "${host}" (configured hosts: ${this.hostNames.join(', ') || 'none'})`, 'unknown_host');
    }
    const version = parsed.uri.version ?? this.defaults.version ?? 'HEAD';
    const kinds = classifyVersion(version);
    if (kinds.length === 0) {
      const problems = parseVersionSpec(version).errors;
      throw new PromptUriError(ref, problems.map((p) => p.message).join('; ') || `invalid version "${version}"`, problems[0]?.code ?? 'invalid_version');
    }
    return {
      host,
      repo,
      id,
      version,
      query: Object.keys(params).length > 0 ? params : undefined,
      uri: formatPromptUri({ host, repo, id, version, params: {} }),
      key: `${host}\n${repo}\n${id}\n${kinds.join('|')}:${version}`,
    };
  }
}

/**
 * SHAs and exact releases never change: their entries are kept for the life of the
 * process. The source says which form matched; without that, the answer must show it.
 */
export function isImmutable(target: Target, entry: PromptEntry): boolean {
  if (entry.kind !== undefined) return entry.kind === 'sha' || entry.kind === 'release';
  const base = parseVersionSpec(target.version).base;
  const release = exactRelease(base);
  if (release !== undefined) return entry.release === release;
  return isShaLike(base) && entry.sha !== null && entry.sha.startsWith(base.toLowerCase());
}

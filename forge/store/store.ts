/**
 * PromptStore: one git repository of `.prompt` files, indexed in memory, read through
 * long-lived git processes and written with plumbing only (bare repositories work).
 * Reads are answered from the index plus `cat-file --batch`; the index follows every
 * ref change, whoever made it, and reports it as 'change' events.
 */
import { basename, resolve as resolvePath } from 'node:path';
import { FILE_HEADERS_ONLY, createTwoFilesPatch } from 'diff';
import { compare as semverCompare } from 'semver';
import type { Problem } from '../../core/text';
import { parsePromptFile, renderFile, resolveSpec, type PromptFile, type VersionSource } from './core';
import { collectIncludesAsync } from '../../core/includes';
import { templatePartials } from '../../core/template';
import { checkRepo } from '../../core/repoCheck';
import { StoreError } from './errors';
import { ObjectReader } from './git/catFile';
import { readGraph, readIncludePaths, readLog, type CommitRecord } from './git/log';
import { promptIdFromPath } from '../../core/promptFile';
import { dropNonCommits, readRefs } from './git/refs';
import { findGitDir } from './git/gitDir';
import { validateBranch, validatePromptId, validateRepoName, validateVersionSpec } from './names';
import { readPromptTree, type TreeEntry } from './promptTree';
import { RepoIndex } from './repoIndex';
import { watchRefs, type RefWatcher } from './watch';
import { idsWithMovedRefs, refEvents } from './events';
import * as writes from './writes';
import type { PromptAt } from './writes';
import type {
  Actor,
  CommitInput,
  CommitResult,
  DiffResult,
  OpenOptions,
  Promotion,
  PromotionRecord,
  PromptCommit,
  PromptSummary,
  ReleaseInfo,
  RenderOptions,
  RenderedPrompt,
  ResolvedPrompt,
  StoreEvent,
  VersionInfo,
} from './types';

interface Parsed {
  file: PromptFile;
  problems: Problem[];
}

/** Labels and releases that point at one version of a prompt. */
interface VersionRefs {
  labels: string[];
  releases: string[];
}

const PARSED_CACHE = 2000;
const PARSE_SLICE = 25;
/** A partial tag, or a delimiter change after which one could be written otherwise. */
const MAY_INCLUDE = /\{\{\s*[>=]/;

export class PromptStore {
  private readonly index = new RepoIndex();
  private readonly reader: ObjectReader;
  private tree = new Map<string, TreeEntry>();
  private treeProblems = new Map<string, Problem[]>();
  private treeTip: string | null = null;
  private readonly parsed = new Map<string, Parsed>();
  /** Default-branch files read at open but not parsed yet: parsed in the background, or on first need. */
  private readonly unparsed = new Map<string, string>();
  private parsing = false;
  private readonly refsByVersion = new Map<string, Map<string, VersionRefs>>();
  private summaries: PromptSummary[] | null = null;
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  private watcher: RefWatcher | null = null;
  private refreshChain: Promise<void> = Promise.resolve();
  private refreshQueued: Promise<void> | null = null;
  private writeChain: Promise<unknown> = Promise.resolve();
  /** Paths of prompt files that ever held a partial tag: whose blobs say what they include. */
  private readonly includePaths = new Set<string>();
  private closed = false;

  private constructor(
    readonly name: string,
    readonly dir: string,
    readonly gitDir: string,
  ) {
    this.reader = new ObjectReader(gitDir);
  }

  static async open(dir: string, opts: OpenOptions = {}): Promise<PromptStore> {
    const abs = resolvePath(dir);
    const name = validateRepoName(opts.name ?? basename(abs).replace(/\.git$/, ''));
    const gitDir = await findGitDir(abs);
    const store = new PromptStore(name, abs, gitDir);
    try {
      await store.refresh();
    } catch (error) {
      await store.close();
      throw error;
    }
    if (opts.watch !== false) store.watcher = watchRefs(gitDir, () => void store.refresh().catch(() => {}));
    return store;
  }

  /** Resolves once the index is built (it is by the time `open` returns). */
  async ready(): Promise<void> {
    await this.refreshChain;
  }

  // ---- reads -------------------------------------------------------------------------

  defaultBranch(): string {
    return this.index.refs.head;
  }

  branches(): string[] {
    return [...this.index.refs.branches.keys()].sort();
  }

  /** Prompts on the default branch, sorted by id. Computed once per index change. */
  listPrompts(): PromptSummary[] {
    return (this.summaries ??= this.summarize()).slice();
  }

  private summarize(): PromptSummary[] {
    const branch = this.defaultBranch();
    const out: PromptSummary[] = [];
    const files = new Map<string, PromptFile>();
    const sound: string[] = [];
    for (const [id, entry] of this.tree) {
      const parsed = this.parsedOf(entry.blob);
      if (parsed) files.set(id, parsed.file);
      if (parsed && !parsed.problems.some((p) => p.severity === 'error')) sound.push(id);
    }
    const repoProblems = checkRepo(files, sound); // includes and params across prompts, for files that parse
    for (const [id, entry] of [...this.tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const parsed = this.parsedOf(entry.blob);
      const file = parsed?.file;
      const latest = this.index.history(branch, id)[0];
      const problems = [...(parsed?.problems ?? []), ...(this.treeProblems.get(id) ?? []), ...(repoProblems.get(id) ?? [])];
      const release = latest ? this.refsAt(id, latest.sha).releases[0] : undefined;
      out.push({
        id,
        path: entry.path,
        type: file?.type ?? 'text',
        ...(file?.description !== undefined ? { description: file.description } : {}),
        params: file?.params ?? {},
        tags: file?.tags ?? [],
        status: file?.status ?? 'active',
        labels: Object.fromEntries(this.index.refs.labels.get(id) ?? []),
        latest: { sha: latest?.sha ?? '', ...(release ? { release } : {}), date: latest?.date ?? '' },
        ...(problems.length > 0 ? { problems } : {}),
      });
    }
    return out;
  }

  /** The prompt's history on a branch (default: the default branch), newest first. */
  versions(id: string, branch?: string): VersionInfo[] {
    validatePromptId(id);
    const history = this.index.history(branch === undefined ? this.defaultBranch() : validateBranch(branch), id);
    if (history.length === 0 && !this.exists(id)) throw notFound(this.name, id);
    return history.map((c) => {
      const refs = this.refsAt(id, c.sha);
      return {
        sha: c.sha,
        ...(refs.releases[0] ? { release: refs.releases[0] } : {}),
        releases: refs.releases,
        labels: refs.labels,
        author: c.author,
        ...(c.email ? { email: c.email } : {}),
        date: c.date,
        message: c.message,
      };
    });
  }

  async resolve(id: string, version?: string): Promise<ResolvedPrompt> {
    validatePromptId(id);
    const spec = version === undefined || version === '' ? 'HEAD' : validateVersionSpec(version);
    if (!this.exists(id)) throw notFound(this.name, id);
    const { sha, kind } = resolveSpec(spec, this.versionSource(id));
    const commit = this.index.versionAt(sha, id);
    if (!commit) throw new StoreError('version_not_found', `prompt "${id}" does not exist at ${sha} (version "${spec}")`, { id, version: spec, sha });
    const loaded = await this.load(commit.sha, id);
    if (!loaded) throw new StoreError('version_not_found', `prompt "${id}" was deleted in ${commit.sha} (version "${spec}")`, { id, version: spec, sha: commit.sha });
    const refs = this.refsAt(id, commit.sha);
    return {
      repo: this.name,
      id,
      sha: commit.sha,
      kind,
      ...(refs.releases[0] ? { release: refs.releases[0] } : {}),
      labels: refs.labels,
      path: loaded.path,
      blob: loaded.blob,
      source: loaded.source,
      file: loaded.parsed.file,
      commit,
    };
  }

  /** A file as of a commit (e.g. the test suite beside a prompt), or null when it has none. */
  async readAt(sha: string, path: string): Promise<string | null> {
    const blob = await this.reader.blob(`${sha}:${path}`);
    return blob === null ? null : blob.toString('utf8');
  }

  async render(id: string, version: string | undefined, params: Record<string, unknown>, opts: RenderOptions = {}): Promise<RenderedPrompt> {
    const resolved = await this.resolve(id, version);
    const partials = await this.loadPartials(resolved.commit.sha, resolved.file);
    const rendered = renderFile(id, resolved.file, params, (pid) => partials.get(pid), opts);
    return { ...resolved, ...rendered };
  }

  async diff(id: string, from: string, to: string): Promise<DiffResult> {
    const [a, b] = await Promise.all([this.resolve(id, from), this.resolve(id, to)]);
    // A plain unified diff (--- / +++ / @@), without jsdiff's "Index:" and "=====" lines.
    const patch = createTwoFilesPatch(`${a.path}@${a.sha.slice(0, 12)}`, `${b.path}@${b.sha.slice(0, 12)}`, a.source, b.source, from, to, { headerOptions: FILE_HEADERS_ONLY });
    return { from: a, to: b, patch };
  }

  async labelHistory(id: string, label: string): Promise<PromotionRecord[]> {
    return writes.labelHistory(this.writeContext(), id, label);
  }

  // ---- writes (serialized per repo; git's compare-and-swap guards across processes) --

  promote(id: string, label: string, version: string, expected: string | null | undefined, actor: Actor): Promise<Promotion> {
    return this.serialize(() => writes.promote(this.writeContext(), id, label, version, expected, actor));
  }

  deleteLabel(id: string, label: string, expected: string, actor: Actor): Promise<PromotionRecord> {
    return this.serialize(() => writes.deleteLabel(this.writeContext(), id, label, expected, actor));
  }

  release(id: string, version: string, ref: string | undefined, notes: string | undefined, actor: Actor): Promise<ReleaseInfo> {
    return this.serialize(() => writes.release(this.writeContext(), id, version, ref, notes, actor));
  }

  commitPrompt(id: string, input: CommitInput, actor: Actor): Promise<CommitResult> {
    return this.serialize(() => writes.commitPrompt(this.writeContext(), id, input, actor));
  }

  // ---- change feed -------------------------------------------------------------------

  on(_event: 'change', fn: (e: StoreEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Re-reads the refs and indexes what changed. Calls made while a refresh is queued
   * share it; a call made during a running refresh queues the next one, so the caller
   * always sees refs at least as new as when it called.
   */
  refresh(): Promise<void> {
    if (this.refreshQueued) return this.refreshQueued;
    const run = this.refreshChain.then(() => {
      this.refreshQueued = null;
      return this.closed ? undefined : this.reindex();
    });
    this.refreshQueued = run;
    this.refreshChain = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    this.listeners.clear();
    await this.writeChain.catch(() => {});
    this.reader.close();
  }

  // ---- internals ---------------------------------------------------------------------

  private async reindex(): Promise<void> {
    const refs = await readRefs(this.gitDir);
    const before = this.index.refs;
    if (refs.fingerprint === before.fingerprint) return;
    let fresh = [...this.index.tipsOf(refs)].filter((sha) => !this.index.has(sha));
    const types = await Promise.all(fresh.map((sha) => this.reader.info(sha)));
    const notCommits = new Set(fresh.filter((_, i) => types[i]?.type !== 'commit'));
    dropNonCommits(refs, notCommits);
    fresh = fresh.filter((sha) => !notCommits.has(sha));
    if (fresh.length > 0) {
      const known = this.index.knownTips();
      const [graph, log, includePaths] = await Promise.all([
        readGraph(this.gitDir, fresh, known),
        readLog(this.gitDir, fresh, known),
        readIncludePaths(this.gitDir, fresh, known),
      ]);
      for (const path of includePaths) this.includePaths.add(path);
      await this.readIncludes(log);
      this.index.addCommits(graph, log);
    }
    const tip = refs.branches.get(refs.head) ?? null;
    const tree = tip !== this.treeTip ? await this.loadTree(tip) : null;
    // From here on synchronous: readers see the old state or the new one, never a mix.
    const oldHistories = new Map([...before.branches.keys()].map((b) => [b, this.index.branchHistory(b)]));
    const moved = this.index.setRefs(refs);
    for (const id of idsWithMovedRefs(before, refs)) this.refsByVersion.delete(id);
    this.summaries = null;
    if (tree) [this.tree, this.treeProblems, this.treeTip] = [tree.entries, tree.problems, tip];
    this.parseInBackground();
    const initial = before.fingerprint === '';
    if (initial || this.listeners.size === 0) return;
    for (const event of refEvents(this.name, before, refs, moved, oldHistories, (b) => this.index.branchHistory(b))) {
      for (const fn of this.listeners) {
        try {
          fn(event);
        } catch {
          // one listener's failure must not stop the others
        }
      }
    }
  }

  /**
   * Tells the index which prompts each new prompt blob includes, so a change to a shared
   * partial is a new version of every prompt that includes it (DESIGN §2). Only blobs at
   * paths that ever held a partial tag are read (pipelined), and parsed only if they hold one.
   */
  private async readIncludes(log: CommitRecord[]): Promise<void> {
    const blobs = new Map<string, string>();
    for (const record of log) {
      for (const change of record.changes) {
        const id = change.blob && this.includePaths.has(change.path) ? promptIdFromPath(change.path) : undefined;
        if (id && change.blob) blobs.set(change.blob, id);
      }
    }
    await Promise.all(
      [...blobs].map(async ([blob, id]) => {
        const object = await this.reader.object(blob);
        const text = object?.type === 'blob' ? object.content?.toString('utf8') : undefined;
        if (!text || !MAY_INCLUDE.test(text)) return;
        this.index.addIncludes(id, blob, templatePartials(parsePromptFile(text).file.body).map((p) => p.id));
      }),
    );
  }

  /** Reads the default branch's prompt files not seen before (one pipelined cat-file batch). */
  private async loadTree(tip: string | null): Promise<{ entries: Map<string, TreeEntry>; problems: Map<string, Problem[]> }> {
    const { entries, problems } = tip ? await readPromptTree(this.gitDir, tip) : { entries: new Map<string, TreeEntry>(), problems: new Map<string, Problem[]>() };
    await Promise.all(
      [...entries.values()].map(async (entry) => {
        if (this.parsed.has(entry.blob) || this.unparsed.has(entry.blob)) return;
        const blob = await this.reader.blob(entry.blob);
        if (blob) this.unparsed.set(entry.blob, blob.toString('utf8'));
      }),
    );
    const live = new Set([...entries.values()].map((e) => e.blob));
    for (const blob of this.unparsed.keys()) if (!live.has(blob)) this.unparsed.delete(blob);
    for (const blob of this.parsed.keys()) if (!live.has(blob) && this.parsed.size > Math.max(PARSED_CACHE, live.size)) this.parsed.delete(blob);
    return { entries, problems };
  }

  private parsedOf(blob: string): Parsed | undefined {
    let parsed = this.parsed.get(blob);
    const text = parsed ? undefined : this.unparsed.get(blob);
    if (text !== undefined) {
      parsed = parsePromptFile(text);
      this.parsed.set(blob, parsed);
      this.unparsed.delete(blob);
    }
    return parsed;
  }

  /** Parses what loadTree read in small slices, so open() returns before and requests are not held up. */
  private parseInBackground(): void {
    if (this.parsing || this.unparsed.size === 0) return;
    this.parsing = true;
    const slice = () => {
      let n = 0;
      for (const blob of this.unparsed.keys()) {
        if (this.closed || n++ >= PARSE_SLICE) break;
        this.parsedOf(blob);
      }
      if (!this.closed && this.unparsed.size > 0) setImmediate(slice);
      else this.parsing = false;
    };
    setImmediate(slice);
  }

  private exists(id: string): boolean {
    if (this.tree.has(id) || this.index.refs.labels.has(id) || this.index.refs.releases.has(id)) return true;
    for (const branch of this.index.refs.branches.keys()) if (this.index.history(branch, id).length > 0) return true;
    return false;
  }

  private versionSource(id: string): VersionSource {
    const index = this.index;
    const branches: Record<string, PromptCommit[]> = {};
    for (const branch of index.refs.branches.keys()) {
      const history = index.history(branch, id);
      if (history.length > 0) branches[branch] = history; // only branches where the prompt exists
    }
    return {
      defaultBranch: index.refs.head,
      branches,
      labels: Object.fromEntries(index.refs.labels.get(id) ?? []),
      releases: Object.fromEntries(index.refs.releases.get(id) ?? []),
      matchSha: (prefix) => index.matchSha(prefix),
      historyAt: (sha) => index.historyAt(sha, id),
    };
  }

  /** Labels and releases whose target is (or resolves to) this version, releases highest first. */
  private refsAt(id: string, sha: string): VersionRefs {
    let byVersion = this.refsByVersion.get(id);
    if (!byVersion) {
      byVersion = new Map();
      const at = (target: string) => {
        const version = this.index.versionAt(target, id)?.sha ?? target;
        let refs = byVersion!.get(version);
        if (!refs) byVersion!.set(version, (refs = { labels: [], releases: [] }));
        return refs;
      };
      for (const [label, target] of this.index.refs.labels.get(id) ?? []) at(target).labels.push(label);
      for (const [release, target] of this.index.refs.releases.get(id) ?? []) at(target).releases.push(release);
      for (const refs of byVersion.values()) {
        refs.labels.sort();
        refs.releases.sort(compareSemverDesc);
      }
      this.refsByVersion.set(id, byVersion);
    }
    return byVersion.get(sha) ?? { labels: [], releases: [] };
  }

  /** The file of a prompt at a version commit, or null when that commit deleted it. */
  private async load(sha: string, id: string): Promise<{ path: string; blob: string; source: string; parsed: Parsed } | null> {
    const change = this.index.change(sha, id);
    if (!change?.blob) return null;
    const content = await this.reader.blob(change.blob);
    if (!content) throw new StoreError('git_failed', `blob ${change.blob} of "${id}" is missing from the repository`);
    const source = content.toString('utf8');
    let parsed = this.parsedOf(change.blob);
    if (!parsed) {
      parsed = parsePromptFile(source);
      this.parsed.set(change.blob, parsed);
      if (this.parsed.size > Math.max(PARSED_CACHE, this.tree.size * 2)) this.parsed.delete(this.parsed.keys().next().value!);
    }
    return { path: change.path, blob: change.blob, source, parsed };
  }

  /** Every prompt included with `{{> id}}`, transitively, as of the same commit (core's walk). */
  private loadPartials(sha: string, file: PromptFile): Promise<Map<string, PromptFile>> {
    return collectIncludesAsync(file.body, async (pid) => {
      const version = this.index.versionAt(sha, pid);
      return (version ? await this.load(version.sha, pid) : null)?.parsed.file;
    }, (f) => f.body);
  }

  /** Every prompt of a commit's tree, parsed (through the same cache as reads). */
  private async promptFiles(commit: string | null): Promise<Map<string, PromptAt>> {
    const entries = commit === null ? new Map<string, TreeEntry>() : commit === this.treeTip ? this.tree : (await readPromptTree(this.gitDir, commit)).entries;
    const files = new Map<string, PromptAt>();
    await Promise.all(
      [...entries].map(async ([id, entry]) => {
        let parsed = this.parsedOf(entry.blob);
        if (!parsed) {
          const content = await this.reader.blob(entry.blob);
          if (!content) return;
          parsed = parsePromptFile(content.toString('utf8'));
          this.parsed.set(entry.blob, parsed);
        }
        files.set(id, { path: entry.path, blob: entry.blob, file: parsed.file });
      }),
    );
    return files;
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StoreError('git_failed', `the store of repo "${this.name}" is closed`));
    const run = this.writeChain.then(fn);
    this.writeChain = run.catch(() => {});
    return run;
  }

  private writeContext(): writes.WriteContext {
    return {
      repo: this.name,
      gitDir: this.gitDir,
      reader: this.reader,
      index: this.index,
      refresh: () => this.refresh(),
      resolve: (id, version) => this.resolve(id, version),
      promptFiles: (commit) => this.promptFiles(commit),
      currentFile: async (branch, id) => {
        const version = this.index.history(branch, id)[0];
        const change = version && this.index.change(version.sha, id);
        return version && change?.blob ? { sha: version.sha, path: change.path, blob: change.blob } : null;
      },
    };
  }
}

function notFound(repo: string, id: string): StoreError {
  return new StoreError('prompt_not_found', `no prompt "${id}" in repo "${repo}"`, { repo, id });
}


function compareSemverDesc(a: string, b: string): number {
  return semverCompare(b, a);
}

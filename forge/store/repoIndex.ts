/**
 * The in-memory index of one repository: the commit graph, which commits changed which
 * prompt (and to which blob), per-branch prompt histories and the refs. Built from a few
 * git commands at open and extended incrementally when refs move; everything a read
 * needs is answered from here without spawning git.
 */
import { LRUCache } from 'lru-cache';
import type { PromptCommit } from './core';
import { promptIdFromPath } from '../../core/promptFile';
import type { CommitRecord, GraphNode } from './git/log';
import type { RefSnapshot } from './git/refs';

export interface PromptChange {
  path: string;
  /** New blob id; absent when this commit deleted the prompt. */
  blob?: string;
}

interface Node {
  sha: string;
  parents: string[];
  /** Larger is newer; a valid topological order (children above parents). */
  seq: number;
  /** Present when the commit changed at least one prompt. */
  commit?: PromptCommit;
  changes?: Map<string, PromptChange>;
}

/** prompt id → commits that changed it, newest first */
export type Histories = Map<string, PromptCommit[]>;

const EMPTY: PromptCommit[] = [];
const REACH_CACHE = 32;

export class RepoIndex {
  private readonly nodes = new Map<string, Node>();
  private maxSeq = 0;
  private sortedShas: string[] | null = null;
  private readonly branchHistories = new Map<string, Histories>();
  private readonly reachCache = new LRUCache<string, Histories>({ max: REACH_CACHE });
  /** Prompt blob → the ids it includes with `{{> id}}`; blobs that include nothing are absent. */
  private readonly includes = new Map<string, string[]>();
  /** Included id → ids whose file ever included it: the candidates a change to it may concern. */
  private readonly includedBy = new Map<string, Set<string>>();
  /** Versions made by a change to an included prompt: commit → prompt id → that prompt's own file then. */
  private readonly viaIncludes = new Map<string, Map<string, PromptChange>>();
  refs: RefSnapshot = { branches: new Map(), labels: new Map(), releases: new Map(), historyTip: null, head: 'main', fingerprint: '' };

  /** Every commit tip the index has seen: what `git rev-list` may exclude next time. */
  knownTips(): string[] {
    return [...this.tipsOf(this.refs)].filter((sha) => this.nodes.has(sha));
  }

  tipsOf(refs: RefSnapshot): Set<string> {
    const tips = new Set<string>(refs.branches.values());
    for (const labels of refs.labels.values()) for (const sha of labels.values()) tips.add(sha);
    for (const releases of refs.releases.values()) for (const sha of releases.values()) tips.add(sha);
    return tips;
  }

  /** Adds commits (newest first) and the prompt changes among them. */
  addCommits(graph: GraphNode[], records: CommitRecord[]): void {
    const base = this.maxSeq;
    graph.forEach((g, i) => {
      if (!this.nodes.has(g.sha)) this.nodes.set(g.sha, { sha: g.sha, parents: g.parents, seq: base + graph.length - i });
    });
    this.maxSeq = base + graph.length;
    for (const record of records) {
      const node = this.nodes.get(record.sha);
      if (!node) continue;
      const changes = new Map<string, PromptChange>();
      for (const change of record.changes) {
        const id = promptIdFromPath(change.path);
        if (!id) continue;
        const seen = changes.get(id);
        // Two files with one stem: a live file wins over a deleted one, then the first path.
        if (!seen || (!seen.blob && change.blob)) changes.set(id, change.blob ? { path: change.path, blob: change.blob } : { path: change.path });
      }
      if (changes.size === 0) continue;
      node.changes = changes;
      node.commit = {
        sha: record.sha,
        author: record.author,
        ...(record.email ? { email: record.email } : {}),
        date: record.date,
        message: record.message,
      };
    }
    if (graph.length > 0) {
      this.sortedShas = null;
      this.reachCache.clear();
    }
  }

  /**
   * Records which prompts a blob of prompt `id` includes. Call before `addCommits` for
   * the blobs those commits bring, so histories count changes to included prompts.
   */
  addIncludes(id: string, blob: string, ids: string[]): void {
    if (ids.length === 0 || this.includes.has(blob)) return;
    this.includes.set(blob, ids);
    for (const included of ids) {
      let owners = this.includedBy.get(included);
      if (!owners) this.includedBy.set(included, (owners = new Set()));
      owners.add(id);
    }
    this.reachCache.clear();
  }

  /** Installs new refs; recomputes histories of branches whose tip moved. Returns them. */
  setRefs(refs: RefSnapshot): string[] {
    const moved: string[] = [];
    for (const [branch, tip] of refs.branches) {
      if (this.refs.branches.get(branch) !== tip || !this.branchHistories.has(branch)) {
        this.branchHistories.set(branch, this.historiesFrom(tip));
        moved.push(branch);
      }
    }
    for (const branch of this.branchHistories.keys()) if (!refs.branches.has(branch)) this.branchHistories.delete(branch);
    this.refs = refs;
    return moved;
  }

  branchHistory(branch: string): Histories {
    return this.branchHistories.get(branch) ?? new Map();
  }

  history(branch: string, id: string): PromptCommit[] {
    return this.branchHistories.get(branch)?.get(id) ?? EMPTY;
  }

  /** The prompt's versions reachable from a commit, newest first. */
  historyAt(sha: string, id: string): PromptCommit[] {
    for (const [branch, tip] of this.refs.branches) if (tip === sha) return this.history(branch, id);
    let histories = this.reachCache.get(sha);
    if (!histories) {
      histories = this.historiesFrom(sha);
      this.reachCache.set(sha, histories);
    }
    return histories.get(id) ?? EMPTY;
  }

  /** The version of a prompt as of a commit: that commit if it changed the prompt, else the newest earlier one. */
  versionAt(sha: string, id: string): PromptCommit | undefined {
    const node = this.nodes.get(sha);
    if (node?.changes?.has(id) || this.viaIncludes.get(sha)?.has(id)) return node!.commit;
    return this.historyAt(sha, id)[0];
  }

  /** The prompt's own file as of a version commit: changed there, or unchanged while something it includes changed. */
  change(sha: string, id: string): PromptChange | undefined {
    return this.nodes.get(sha)?.changes?.get(id) ?? this.viaIncludes.get(sha)?.get(id);
  }

  /** Full shas of known commits starting with a hex prefix. */
  matchSha(prefix: string): string[] {
    const p = prefix.toLowerCase();
    if (!/^[0-9a-f]+$/.test(p)) return [];
    const shas = (this.sortedShas ??= [...this.nodes.keys()].sort());
    let lo = 0;
    let hi = shas.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (shas[mid] < p) lo = mid + 1;
      else hi = mid;
    }
    const found: string[] = [];
    for (let i = lo; i < shas.length && shas[i].startsWith(p); i++) found.push(shas[i]);
    return found;
  }

  has(sha: string): boolean {
    return this.nodes.has(sha);
  }

  /** Walks every commit reachable from `tip` and groups the prompt changes by id, newest first. */
  private historiesFrom(tip: string): Histories {
    const seen = new Set<string>();
    const changed: Node[] = [];
    const stack = [tip];
    while (stack.length > 0) {
      const sha = stack.pop()!;
      if (seen.has(sha)) continue;
      seen.add(sha);
      const node = this.nodes.get(sha);
      if (!node) continue;
      if (node.changes) changed.push(node);
      for (const parent of node.parents) if (!seen.has(parent)) stack.push(parent);
    }
    changed.sort((a, b) => b.seq - a.seq);
    const histories: Histories = new Map();
    const add = (id: string, node: Node) => {
      let list = histories.get(id);
      if (!list) histories.set(id, (list = []));
      list.push(node.commit!);
    };
    if (this.includes.size === 0) {
      for (const node of changed) for (const id of node.changes!.keys()) add(id, node);
      return histories;
    }
    // Oldest first, keeping each prompt's file as it stands, so a change to an included
    // prompt counts for exactly the prompts that include it (transitively) at that commit.
    const current = new Map<string, PromptChange>();
    for (let i = changed.length - 1; i >= 0; i--) {
      const node = changed[i];
      for (const [id, change] of node.changes!) current.set(id, change);
      for (const id of node.changes!.keys()) add(id, node);
      for (const id of this.includersAt(node.changes!.keys(), current)) {
        if (node.changes!.has(id)) continue;
        add(id, node);
        let files = this.viaIncludes.get(node.sha);
        if (!files) this.viaIncludes.set(node.sha, (files = new Map()));
        files.set(id, current.get(id)!);
      }
    }
    for (const list of histories.values()) list.reverse();
    return histories;
  }

  /** Live prompts that include any of `ids`, directly or through others, given each prompt's current file. */
  private includersAt(ids: Iterable<string>, current: Map<string, PromptChange>): Set<string> {
    const found = new Set<string>();
    const pending = [...ids];
    for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
      for (const owner of this.includedBy.get(id) ?? []) {
        if (found.has(owner)) continue;
        const blob = current.get(owner)?.blob;
        if (blob && this.includes.get(blob)?.includes(id)) {
          found.add(owner);
          pending.push(owner);
        }
      }
    }
    return found;
  }
}

/**
 * PromptStore: one git repository of `.prompt` files, indexed in memory, read through
 * long-lived git processes and written with plumbing only (bare repositories work).
 */
import { basename } from 'node:path';
import { StoreError } from './errors';
import { validateRepoName } from './names';
import type {
  Actor,
  CommitInput,
  CommitResult,
  DiffResult,
  OpenOptions,
  PromotionRecord,
  PromptSummary,
  ReleaseInfo,
  RenderOptions,
  RenderedPrompt,
  ResolvedPrompt,
  StoreEvent,
  VersionInfo,
} from './types';

function notYet(): never {
  throw new StoreError('git_failed', 'not implemented', undefined, 501);
}

export class PromptStore {
  private constructor(
    readonly name: string,
    readonly dir: string,
  ) {}

  static async open(dir: string, opts: OpenOptions = {}): Promise<PromptStore> {
    const name = validateRepoName(opts.name ?? basename(dir).replace(/\.git$/, ''));
    return new PromptStore(name, dir);
  }

  /** Resolves once the index is built. */
  async ready(): Promise<void> {}

  listPrompts(): PromptSummary[] {
    notYet();
  }

  versions(_id: string): VersionInfo[] {
    notYet();
  }

  branches(): string[] {
    notYet();
  }

  defaultBranch(): string {
    notYet();
  }

  async resolve(_id: string, _version?: string): Promise<ResolvedPrompt> {
    notYet();
  }

  async render(_id: string, _version: string | undefined, _params: Record<string, unknown>, _opts?: RenderOptions): Promise<RenderedPrompt> {
    notYet();
  }

  async diff(_id: string, _from: string, _to: string): Promise<DiffResult> {
    notYet();
  }

  async promote(_id: string, _label: string, _version: string, _expected: string | null | undefined, _actor: Actor): Promise<PromotionRecord> {
    notYet();
  }

  async labelHistory(_id: string, _label: string): Promise<PromotionRecord[]> {
    notYet();
  }

  async release(_id: string, _version: string, _ref: string, _notes: string | undefined, _actor: Actor): Promise<ReleaseInfo> {
    notYet();
  }

  async commitPrompt(_id: string, _input: CommitInput, _actor: Actor): Promise<CommitResult> {
    notYet();
  }

  on(_event: 'change', _fn: (e: StoreEvent) => void): () => void {
    notYet();
  }

  async close(): Promise<void> {}
}

export async function openRepoFolder(_path: string): Promise<Map<string, PromptStore>> {
  notYet();
}

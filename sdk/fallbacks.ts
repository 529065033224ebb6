/**
 * Prompts the app ships for when nothing else can answer: inline templates, a folder of
 * `.prompt` files (read only when first needed), or a snapshot file. Looked up by
 * `REPO/ID`, then by `ID`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FallbackOptions } from './config';
import { entryFromPromptFile, type PromptEntry } from './entry';
import type { Target } from './reference';
import { readSnapshot } from './snapshot';

export class Fallbacks {
  private readonly inline = new Map<string, PromptEntry>();
  private readonly fromFolder = new Map<string, PromptEntry | undefined>();
  private shipped: Map<string, PromptEntry> | undefined;

  constructor(
    private readonly options: FallbackOptions,
    /** Told when a shipped fallback file cannot be read (the lookup then moves on). */
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    for (const [name, prompt] of Object.entries(options.prompts ?? {})) {
      const spec = typeof prompt === 'string' ? { template: prompt } : prompt;
      const slash = name.indexOf('/');
      this.inline.set(name, {
        repo: slash < 0 ? '' : name.slice(0, slash),
        id: slash < 0 ? name : name.slice(slash + 1),
        sha: null,
        release: null,
        labels: [],
        type: spec.type ?? 'text',
        template: spec.template,
        params: spec.params ?? {},
        canonical: null,
        anyParams: spec.params === undefined,
      });
    }
  }

  find(target: Target): PromptEntry | undefined {
    const inline = this.inline.get(`${target.repo}/${target.id}`) ?? this.inline.get(target.id);
    if (inline) return { ...inline, repo: target.repo };
    return this.folderEntry(target) ?? this.snapshotEntry(target);
  }

  /** What was looked at, for the message of an unavailable prompt. */
  describe(): string {
    const where = [
      this.inline.size ? `${this.inline.size} inline prompts` : '',
      this.options.folder ? `folder ${this.options.folder}` : '',
      this.options.snapshot ? `file ${this.options.snapshot}` : '',
    ].filter(Boolean);
    return where.length ? `none for this prompt among ${where.join(', ')}` : 'none configured';
  }

  private folderEntry(target: Target): PromptEntry | undefined {
    const folder = this.options.folder;
    if (!folder) return undefined;
    const key = `${target.repo}/${target.id}`;
    if (!this.fromFolder.has(key)) {
      this.fromFolder.set(key, undefined);
      for (const file of [join(folder, target.repo, `${target.id}.prompt`), join(folder, `${target.id}.prompt`)]) {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          continue;
        }
        try {
          this.fromFolder.set(key, entryFromPromptFile(text, target.repo, target.id, file));
        } catch (error) {
          this.onError(error);
        }
        break;
      }
    }
    return this.fromFolder.get(key);
  }

  private snapshotEntry(target: Target): PromptEntry | undefined {
    if (!this.options.snapshot) return undefined;
    if (!this.shipped) {
      try {
        this.shipped = readSnapshot(this.options.snapshot);
      } catch (error) {
        this.onError(new Error(`cannot read fallback snapshot ${this.options.snapshot}: ${(error as Error).message}`));
        this.shipped = new Map();
      }
    }
    const exact = this.shipped.get(target.key);
    if (exact) return exact;
    for (const entry of this.shipped.values()) if (entry.repo === target.repo && entry.id === target.id) return entry;
    return undefined;
  }
}

/**
 * The last-known-good snapshot: every prompt the app resolved, kept in one JSON file so
 * an app restarted while the forge is down still serves the real prompts it last saw.
 * Written atomically (temp file + rename), so a crash mid-write never leaves half a file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PromptEntry } from './entry';

interface SnapshotFileShape {
  format: 'promptforge-snapshot';
  version: 1;
  savedAt: string;
  /** Cache key → entry. */
  entries: Record<string, PromptEntry>;
}

/** Reads a snapshot file; a missing file is an empty snapshot, a corrupt one an error. */
export function readSnapshot(path: string): Map<string, PromptEntry> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const data = JSON.parse(text) as SnapshotFileShape;
  if (data?.format !== 'promptforge-snapshot' || typeof data.entries !== 'object') {
    throw new Error(`${path} is not a prompt snapshot file`);
  }
  return new Map(Object.entries(data.entries));
}

export class Snapshot {
  readonly entries: Map<string, PromptEntry>;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly path: string,
    private readonly onError: (error: unknown) => void,
    /** Writes are coalesced over this window. */
    private readonly writeDelayMs = 100,
  ) {
    try {
      this.entries = readSnapshot(path);
    } catch (error) {
      onError(new Error(`ignoring snapshot ${path}: ${(error as Error).message}`));
      this.entries = new Map();
    }
  }

  put(key: string, entry: PromptEntry): void {
    const old = this.entries.get(key);
    if (old && old.sha === entry.sha && old.template === entry.template && sameLabels(old.labels, entry.labels)) return;
    this.entries.set(key, entry);
    this.schedule();
  }

  delete(key: string): void {
    if (this.entries.delete(key)) this.schedule();
  }

  /** Writes now if anything changed since the last write. */
  flush(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    try {
      const data: SnapshotFileShape = { format: 'promptforge-snapshot', version: 1, savedAt: new Date().toISOString(), entries: Object.fromEntries(this.entries) };
      mkdirSync(dirname(this.path), { recursive: true });
      const temp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(data));
      renameSync(temp, this.path);
    } catch (error) {
      this.onError(new Error(`cannot write snapshot ${this.path}: ${(error as Error).message}`));
    }
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => this.flush(), this.writeDelayMs);
    this.timer.unref();
  }
}

function sameLabels(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((label, i) => label === b[i]);
}

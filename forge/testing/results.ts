/**
 * Test results kept per prompt version (commit), so a promotion gate can read whether
 * the version it would move a label to passed. Files under the repository's git
 * directory, beside the usage database: git never commits or pushes them.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SuiteResult } from '../../core/testSuite/run';

export interface StoredRun {
  repo: string;
  id: string;
  /** The version tested. */
  sha: string;
  /** Where the suite was read: its path and the ref or commit it came from. */
  suite: { path: string; from: string };
  at: string;
  actor: string;
  result: SuiteResult;
}

export class TestResults {
  constructor(private readonly gitDir: string) {}

  save(run: StoredRun): void {
    const dir = join(this.gitDir, 'promptforge', 'tests', run.id);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${run.sha}.json`);
    // Write then rename, so a reader never sees half a file.
    writeFileSync(`${file}.tmp`, JSON.stringify(run));
    renameSync(`${file}.tmp`, file);
  }

  latest(id: string, sha: string): StoredRun | undefined {
    try {
      return JSON.parse(readFileSync(join(this.gitDir, 'promptforge', 'tests', id, `${sha}.json`), 'utf8')) as StoredRun;
    } catch {
      return undefined;
    }
  }
}

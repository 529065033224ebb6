/**
 * Where usage lives when forge.yaml does not say: inside the first repo's git
 * directory, which git leaves alone (never committed, never pushed), which survives
 * restarts, and which gives every repo folder — and every test's temp repo — its own file.
 */
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function defaultUsageDb(repoPath: string): string {
  return join(gitDir(repoPath), 'promptforge', 'usage.db');
}

/** `.git` of a work tree, the target of a `.git` file (linked work trees), or the bare repo itself. */
function gitDir(repoPath: string): string {
  const dotGit = join(repoPath, '.git');
  try {
    if (statSync(dotGit).isDirectory()) return dotGit;
    const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'));
    if (pointer) return resolve(repoPath, pointer[1].trim());
  } catch {
    // no .git entry: a bare repository
  }
  return repoPath;
}

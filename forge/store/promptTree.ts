/**
 * The prompt files of one commit's tree (`git ls-tree -r`): id → path and blob, with a
 * problem for each id that two files share (the first path in tree order wins).
 */
import type { Problem } from '../../core/text';
import { runGit } from './git/run';
import { promptIdFromPath } from '../../core/promptFile';

export interface TreeEntry {
  path: string;
  blob: string;
}

export async function readPromptTree(gitDir: string, commit: string): Promise<{ entries: Map<string, TreeEntry>; problems: Map<string, Problem[]> }> {
  const { stdout } = await runGit(gitDir, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  const entries = new Map<string, TreeEntry>();
  const problems = new Map<string, Problem[]>();
  for (const record of stdout.toString('utf8').split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [, type, blob] = record.slice(0, tab).split(' ');
    const path = record.slice(tab + 1);
    const id = type === 'blob' ? promptIdFromPath(path) : undefined;
    if (!id) continue; // not a prompt, or a name no URI can address (lint reports it)
    const first = entries.get(id);
    if (first) {
      const list = problems.get(id) ?? [];
      list.push({
        code: 'duplicate_id',
        message: `prompt id "${id}" is used by both ${first.path} and ${path}; ${first.path} is served`,
        range: { start: 0, end: 0 },
        severity: 'error',
      });
      problems.set(id, list);
      continue;
    }
    entries.set(id, { path, blob });
  }
  return { entries, problems };
}

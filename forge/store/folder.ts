/** Opening every repository of a folder, as the forge, the SDK's local mode and the language server do. */
import { readdir } from 'node:fs/promises';
import { join, resolve as resolvePath } from 'node:path';
import { StoreError } from './errors';
import { isRepoFolder } from './git/gitDir';
import { isValidSegment } from '../../core/uri';
import { PromptStore } from './store';
import type { OpenOptions } from './types';

/** A folder that is one repo, or whose direct sub-folders are repos: name → opened store. */
export async function openRepoFolder(path: string, opts: Omit<OpenOptions, 'name'> = {}): Promise<Map<string, PromptStore>> {
  const abs = resolvePath(path);
  if (isRepoFolder(abs)) {
    const store = await PromptStore.open(abs, opts);
    return new Map([[store.name, store]]);
  }
  const entries = await readdir(abs, { withFileTypes: true }).catch(() => {
    throw new StoreError('repo_not_found', `${abs} is not a folder`, { dir: abs });
  });
  const stores = new Map<string, PromptStore>();
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const dir = join(abs, entry.name);
    const name = entry.name.replace(/\.git$/, '');
    if (!entry.isDirectory() || !isValidSegment(name) || stores.has(name) || !isRepoFolder(dir)) continue;
    try {
      stores.set(name, await PromptStore.open(dir, { ...opts, name }));
    } catch (error) {
      await Promise.all([...stores.values()].map((store) => store.close()));
      throw error instanceof StoreError ? new StoreError(error.code, `repo "${name}" (${dir}): ${error.message}`, error.details) : error;
    }
  }
  if (stores.size === 0) throw new StoreError('repo_not_found', `${abs} is neither a git repository nor a folder of them`, { dir: abs });
  return stores;
}

/**
 * Finding suites on disk for `promptforge test`: `ID.test.yaml` files (or the suite
 * beside a named `ID.prompt`), each with the prompt it tests and the repository folder
 * whose prompts it may include.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../commands/command';

export const SUITE_SUFFIX = '.test.yaml';

export interface SuiteFile {
  /** The suite file as found. */
  path: string;
  /** The prompt id: the file name before `.test.yaml`. */
  id: string;
  /** The `.prompt` file beside it. */
  promptPath: string;
}

/** Every suite under the given files and folders (hidden folders and node_modules skipped), in path order. */
export function findSuites(paths: string[]): SuiteFile[] {
  const found: string[] = [];
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new UsageError(`${path}: no such file or folder`);
    }
    if (stat.isDirectory()) found.push(...walk(path));
    else if (path.endsWith(SUITE_SUFFIX)) found.push(path);
    else if (path.endsWith('.prompt')) {
      const suite = path.slice(0, -'.prompt'.length) + SUITE_SUFFIX;
      if (!existsSync(suite)) throw new UsageError(`${path} has no test suite: expected ${basename(suite)} beside it`);
      found.push(suite);
    } else throw new UsageError(`${path} is neither a folder, a .prompt file nor a ${SUITE_SUFFIX} file`);
  }
  return [...new Set(found)].map((path) => {
    const id = basename(path).slice(0, -SUITE_SUFFIX.length);
    return { path, id, promptPath: join(dirname(path), `${id}.prompt`) };
  });
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile() && entry.name.endsWith(SUITE_SUFFIX)) out.push(full);
  }
  return out;
}

/** The nearest folder at or above `path` that holds `.git` (or is a bare repo); else the file's own folder. */
export function repoRoot(path: string): string {
  let dir = resolve(dirname(path));
  for (;;) {
    if (existsSync(join(dir, '.git')) || (existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects')))) return dir;
    const up = dirname(dir);
    if (up === dir) return resolve(dirname(path));
    dir = up;
  }
}

/** `.prompt` files of a folder tree by id, for includes in the working tree. */
export function promptFilesById(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.isFile() && entry.name.endsWith('.prompt') && !out.has(entry.name.slice(0, -7))) out.set(entry.name.slice(0, -7), full);
    }
  };
  visit(root);
  return out;
}

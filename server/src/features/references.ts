/**
 * Finds references to a prompt across the workspace by reading files directly (not
 * opening them as documents), skipping dependency and build folders and what the
 * workspace's `.gitignore` names, and reading only files that contain the prompt's id.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { referencesIn } from '../documents';
import { targetOf } from '../index/reference';
import type { Settings } from '../settings';

const skippedFolders = new Set(['node_modules', '.git', 'dist', 'out', 'build', 'target', 'vendor', '_build', 'deps', '__pycache__', '.venv', 'venv', 'coverage']);
const maxFileBytes = 2_000_000;
const maxFiles = 20_000;
const binary = /\.(png|jpe?g|gif|ico|pdf|zip|gz|tgz|jar|wasm|so|dylib|dll|exe|bin|woff2?|ttf|mp[34]|mov|sqlite|db|lock)$/i;

export interface PromptId {
  host: string;
  repo: string;
  id: string;
}

/**
 * `openText` gives the editor's text of an open document, which may be newer than the
 * disk; `cancelled` stops the walk when the editor no longer wants the answer.
 */
export async function findReferences(folders: string[], wanted: PromptId, settings: Settings, openText: (uri: string) => string | undefined, cancelled: () => boolean = () => false): Promise<Location[]> {
  const locations: Location[] = [];
  let budget = maxFiles;
  let ignored = new Set<string>();
  const visit = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (budget <= 0 || cancelled()) return;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skippedFolders.has(entry.name) && !ignored.has(entry.name) && !entry.name.startsWith('.')) await visit(path);
      } else if (entry.isFile() && !binary.test(entry.name) && !ignored.has(entry.name)) {
        budget--;
        const uri = pathToFileURL(path).href;
        const text = openText(uri) ?? (await readSmall(path));
        if (text === undefined || !text.includes(wanted.id)) continue;
        const refs = referencesIn(text, settings).filter((ref) => {
          const target = targetOf(ref);
          return target && target.host === wanted.host && target.repo === wanted.repo && target.id === wanted.id;
        });
        if (refs.length === 0) continue;
        const doc = TextDocument.create(uri, 'plaintext', 0, text);
        for (const ref of refs) locations.push({ uri, range: { start: doc.positionAt(ref.start), end: doc.positionAt(ref.end) } });
      }
    }
  };
  for (const folder of folders) {
    ignored = await ignoredNames(folder);
    await visit(folder);
  }
  return locations;
}

/**
 * Plain names from the folder's `.gitignore` (`generated/`, `/tmp`, `secrets.json`),
 * skipped at any depth. Patterns with wildcards are left to the fixed list above.
 */
async function ignoredNames(folder: string): Promise<Set<string>> {
  const text = await readFile(join(folder, '.gitignore'), 'utf8').catch(() => '');
  const names = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim().replace(/^\//, '').replace(/\/$/, '');
    if (line && !line.startsWith('#') && !line.startsWith('!') && !/[*?[\]/]/.test(line)) names.add(line);
  }
  return names;
}

async function readSmall(path: string): Promise<string | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info || info.size > maxFileBytes) return undefined;
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return text !== undefined && !text.includes('\0') ? text : undefined;
}

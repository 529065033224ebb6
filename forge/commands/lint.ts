import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { LineIndex, type Problem } from '../../core/text';
import { parsePromptFile, promptIdFromPath, type PromptFile } from '../../core/promptFile';
import { checkRepo } from '../../core/repoCheck';
import { labelShadowing } from '../../core/labelName';
import { findGitDir, isRepoFolder } from '../store/git/gitDir';
import { readRefs } from '../store/git/refs';
import { UsageError, type Command } from './command';

export const lintCommand: Command = {
  name: 'lint',
  summary: 'check .prompt files (CI-friendly: file:line:col, exit 1 on errors)',
  usage: 'promptforge lint [PATH…]',
  help: `Checks every .prompt file in the given files and folders (default: the current folder;
hidden folders and node_modules are skipped), each against the whole repo it belongs to
(the enclosing git work tree, else the folder given): includes that name no prompt,
include cycles, params used but declared nowhere (errors) or declared but never used
(warnings). In a git repository it also reports labels (refs/labels/ID/LABEL) that shadow
a release, a range, a commit SHA, HEAD, latest or a branch. Prints one
"file:line:col: severity: message [code]" line per problem and exits 1 when any error was
found, 0 otherwise.

  --quiet                   print errors only, no warnings or summary`,
  options: { quiet: { type: 'boolean' } },
  async run(values, positionals) {
    const targets = positionals.length > 0 ? positionals : ['.'];
    const files = targets.flatMap((path) => promptFiles(path));
    let errors = 0;
    let warnings = 0;
    const report = (where: string, p: Pick<Problem, 'code' | 'message' | 'severity'>) => {
      if (p.severity === 'error') errors++;
      else if (values.quiet) return;
      else warnings++;
      process.stdout.write(`${where}: ${p.severity}: ${p.message} [${p.code}]\n`);
    };
    const repos = new Map<string, RepoPrompts>();
    for (const file of files) {
      const root = repoRoot(file);
      let repo = repos.get(root);
      if (!repo) repos.set(root, (repo = readRepo(root)));
      const source = readSource(repo, file);
      const id = promptIdFromPath(basename(file));
      // A file that does not parse is checked against the others once it does (its body may be cut short).
      const own = id !== undefined && repo.byId.get(id)?.path === resolve(file) && !source.problems.some((p) => p.severity === 'error');
      const problems = [...source.problems, ...(own ? (checkRepo(repo.files, [id]).get(id) ?? []) : [])];
      const lines = new LineIndex(source.text);
      for (const p of problems) {
        const at = lines.position(p.range.start);
        report(`${relative(process.cwd(), file) || file}:${at.line + 1}:${at.character + 1}`, p);
      }
    }
    for (const root of new Set(targets.map(repoRoot))) {
      for (const { ref, message } of await shadowingLabels(root)) report(ref, { code: 'invalid_label', message, severity: 'error' });
    }
    if (!values.quiet) process.stderr.write(`${files.length} file${files.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
    return errors > 0 ? 1 : 0;
  },
};

interface Source {
  path: string;
  text: string;
  file: PromptFile;
  problems: Problem[];
}

/** Every prompt of one repo by id (the first file in path order wins, as the forge serves it). */
interface RepoPrompts {
  byId: Map<string, Source>;
  files: Map<string, PromptFile>;
  read: Map<string, Source>;
}

function readRepo(root: string): RepoPrompts {
  const repo: RepoPrompts = { byId: new Map(), files: new Map(), read: new Map() };
  for (const path of promptFiles(root)) {
    const id = promptIdFromPath(relative(root, path));
    if (id === undefined || repo.byId.has(id)) continue;
    const source = readSource(repo, path);
    repo.byId.set(id, source);
    repo.files.set(id, source.file);
  }
  return repo;
}

function readSource(repo: RepoPrompts, path: string): Source {
  const full = resolve(path);
  let source = repo.read.get(full);
  if (!source) {
    const text = readFileSync(full, 'utf8');
    const { file, problems } = parsePromptFile(text);
    repo.read.set(full, (source = { path: full, text, file, problems }));
  }
  return source;
}

/** The repo a path belongs to: the nearest enclosing git repository, else the folder itself (or the file's folder). */
function repoRoot(path: string): string {
  const start = resolve(path);
  const folder = statSync(start).isDirectory() ? start : dirname(start);
  for (let dir = folder; ; dir = dirname(dir)) {
    if (isRepoFolder(dir)) return dir;
    if (dirname(dir) === dir) return folder;
  }
}

/** Labels made with plain git that a write would refuse, because a version spec would read them as something else. */
async function shadowingLabels(root: string): Promise<{ ref: string; message: string }[]> {
  if (!isRepoFolder(root)) return [];
  const refs = await readRefs(await findGitDir(root));
  const found: { ref: string; message: string }[] = [];
  for (const [id, labels] of [...refs.labels].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const label of [...labels.keys()].sort()) {
      const why = labelShadowing(label, refs.branches.keys());
      if (!why) continue;
      const ref = `refs/labels/${id}/${label}`;
      found.push({ ref, message: `label "${label}" of "${id}" shadows another version: ${why}. Delete it (DELETE …/prompts/${id}/labels/${label}, or git update-ref -d ${ref}) and pick another name` });
    }
  }
  return found;
}

function promptFiles(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new UsageError(`${path}: no such file or folder`);
  }
  if (stat.isFile()) return [path];
  const out: string[] = [];
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(path, entry.name);
    if (entry.isDirectory()) out.push(...promptFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.prompt')) out.push(full);
  }
  return out;
}

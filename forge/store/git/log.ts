/**
 * Reads commit history with `.prompt` changes in one `git log` run: each commit with its
 * parents, author, date, message and the blobs of the prompt files it changed. Merges
 * count as changing a file only when they differ from every parent (a conflict
 * resolution), as git's own history simplification would show.
 */
import { runGit } from './run';

export interface FileChange {
  path: string;
  /** New blob id; absent when the file was deleted. */
  blob?: string;
}

export interface CommitRecord {
  sha: string;
  parents: string[];
  author: string;
  email: string;
  date: string;
  message: string;
  changes: FileChange[];
}

const ZERO = /^0+$/;
const FORMAT = '%x1e%H %P%x00%an%x00%ae%x00%aI%x00%B%x00';

export interface GraphNode {
  sha: string;
  parents: string[];
}

function revisions(include: string[], exclude: string[]): string {
  return [...include, ...exclude.map((sha) => '^' + sha)].join('\n') + '\n';
}

/**
 * Every commit reachable from `include` and not from `exclude`, newest first (date
 * order: children always before parents). Revisions go to git on stdin, never as arguments.
 */
export async function readGraph(gitDir: string, include: string[], exclude: string[]): Promise<GraphNode[]> {
  if (include.length === 0) return [];
  const { stdout } = await runGit(gitDir, ['rev-list', '--date-order', '--parents', '--stdin'], { input: revisions(include, exclude) });
  const nodes: GraphNode[] = [];
  for (const line of stdout.toString('latin1').split('\n')) {
    if (!line) continue;
    const [sha, ...parents] = line.split(' ');
    nodes.push({ sha, parents });
  }
  return nodes;
}

/** The commits among the same range that changed a `.prompt` file, with their changes. */
export async function readLog(gitDir: string, include: string[], exclude: string[]): Promise<CommitRecord[]> {
  if (include.length === 0) return [];
  const { stdout } = await runGit(
    gitDir,
    ['log', '--full-history', '--raw', '-c', '--no-abbrev', '--no-renames', '-z', `--format=${FORMAT}`, '--stdin', '--', '*.prompt'],
    { input: revisions(include, exclude) },
  );
  return parseLog(stdout.toString('utf8'));
}

export function parseLog(out: string): CommitRecord[] {
  const commits: CommitRecord[] = [];
  const tokens = out.split('\0');
  let i = 0;
  while (i < tokens.length) {
    const head = tokens[i].replace(/^\n+/, '');
    if (!head.startsWith('\x1e')) {
      i++;
      continue;
    }
    const [sha, ...parents] = head.slice(1).split(' ').filter(Boolean);
    const commit: CommitRecord = {
      sha,
      parents,
      author: tokens[i + 1] ?? '',
      email: tokens[i + 2] ?? '',
      date: tokens[i + 3] ?? '',
      message: (tokens[i + 4] ?? '').replace(/\n+$/, ''),
      changes: [],
    };
    i += 5;
    // Raw entries: ":modes… oids… STATUS" then the path.
    while (i < tokens.length) {
      const token = tokens[i].replace(/^\n+/, '');
      if (token.startsWith('\x1e')) break;
      if (token.startsWith(':')) {
        const fields = token.replace(/^:+/, '').split(' ');
        const parentCount = token.length - token.replace(/^:+/, '').length;
        const blob = fields[2 * (parentCount + 1) - 1];
        const path = tokens[i + 1] ?? '';
        commit.changes.push(ZERO.test(blob) ? { path } : { path, blob });
        i += 2;
        continue;
      }
      i++;
    }
    commits.push(commit);
  }
  return commits;
}

/**
 * Paths of prompt files where a partial tag `{{> id}}` (or a delimiter change, after which
 * one could be written otherwise) appeared or disappeared in the range. A file whose blob
 * includes another prompt must have gained that tag somewhere, so only blobs at these
 * paths need reading to know the includes; git finds them without sending any blob.
 */
export async function readIncludePaths(gitDir: string, include: string[], exclude: string[]): Promise<string[]> {
  if (include.length === 0) return [];
  const { stdout } = await runGit(
    gitDir,
    ['log', '--full-history', '--format=', '--name-only', '-z', '--pickaxe-regex', '-S\\{\\{[[:space:]]*[>=]', '--stdin', '--', '*.prompt'],
    { input: revisions(include, exclude) },
  );
  return [...new Set(stdout.toString('utf8').split('\0').map((p) => p.replace(/^\n+/, '')).filter(Boolean))];
}

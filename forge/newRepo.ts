/**
 * Creating a prompt repository with plain git (`init`, `demo`). The store writes with
 * plumbing and never touches a work tree or index, so a repository it filled from
 * nothing has an empty work tree and an empty index: `git status` would show every
 * prompt as deleted, and the user's next commit would delete them. Checking out the
 * branch once at the end makes the new repository an ordinary, clean clone.
 */
import { execFileSync } from 'node:child_process';

/** `git init` on branch main; a failure names git's own reason in one line. */
export function createRepo(dir: string): void {
  git(['init', '--quiet', '--initial-branch=main', dir], `cannot create a git repository in ${dir}`);
}

/** Index and work tree = HEAD. Only for a repository created here, whose work tree holds nothing of the user's. */
export function checkOutHead(dir: string): void {
  git(['-C', dir, 'reset', '--quiet', '--hard', 'HEAD'], `cannot check out the files in ${dir}`);
}

function git(args: string[], what: string): void {
  try {
    execFileSync('git', args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`${what}: git is not installed or not on PATH`);
    const reason = (e.stderr ?? '').trim().split('\n').pop()?.replace(/^(fatal|error): /, '');
    throw new Error(`${what}: ${reason || e.message}`);
  }
}

/**
 * Runs one git command to completion. Used at open, for incremental reindexing and for
 * writes, never per read request (reads go through the batch processes in catFile.ts).
 * Every argument is built by the store itself: request values reach git only on stdin or
 * as full ref names that start with `refs/`, never as options.
 */
import { spawn } from 'node:child_process';
import { StoreError } from '../errors';

export interface RunOptions {
  input?: string | Buffer;
  env?: Record<string, string>;
  /** Exit codes that are answers rather than failures (e.g. 1 for "not found"). */
  okCodes?: number[];
}

export interface RunResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** The environment every git child gets: no prompts, no pager, stable messages. */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
    LC_ALL: 'C',
    GIT_OPTIONAL_LOCKS: '0',
    ...extra,
  };
}

export function runGit(gitDir: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--git-dir', gitDir, ...args], {
      env: gitEnv(opts.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new StoreError('git_failed', `cannot run git: ${error.message}`)));
    child.on('close', (code) => {
      const result = { code: code ?? -1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') };
      if (result.code === 0 || opts.okCodes?.includes(result.code)) resolve(result);
      else reject(new StoreError('git_failed', `git ${args[0]} failed: ${result.stderr.trim() || `exit ${result.code}`}`, { args, code: result.code }));
    });
    child.stdin.on('error', () => {}); // a git that exits early closes stdin; its exit code tells the story
    child.stdin.end(opts.input ?? '');
  });
}

/** stdout of a successful git command as trimmed text. */
export async function gitText(gitDir: string, args: string[], opts: RunOptions = {}): Promise<string> {
  return (await runGit(gitDir, args, opts)).stdout.toString('utf8').trim();
}

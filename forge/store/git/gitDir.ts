/** Finding the git directory of a repository folder, bare or with a work tree. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError } from '../errors';
import { gitEnv } from './run';

/** A folder that is itself a repository: a work tree with `.git`, or a bare repository. */
export function isRepoFolder(dir: string): boolean {
  if (existsSync(join(dir, '.git'))) return true;
  return ['HEAD', 'objects', 'refs'].every((name) => existsSync(join(dir, name)));
}

/** The git directory of a repo folder (bare or with a work tree), or repo_not_found. */
export function findGitDir(dir: string): Promise<string> {
  if (!isRepoFolder(dir)) return Promise.reject(new StoreError('repo_not_found', `${dir} is not a git repository`, { dir }));
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-C', dir, 'rev-parse', '--path-format=absolute', '--git-common-dir'], { env: gitEnv() });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.resume();
    child.on('error', () => reject(new StoreError('repo_not_found', `cannot run git in ${dir}`)));
    child.on('close', (code) => {
      if (code === 0 && out.trim()) resolve(out.trim());
      else reject(new StoreError('repo_not_found', `${dir} is not a git repository`, { dir }));
    });
  });
}

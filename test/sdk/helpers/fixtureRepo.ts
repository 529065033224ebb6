/**
 * A prompt repo built with plain git in a temp folder, with known commits, releases
 * and labels, so tests can name exact SHAs and move labels the way any git user would.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const welcomeFile = (version: string) => `---
description: Greets a new user
params:
  app_name: { type: string, required: true, description: Product name }
  tier: { type: string, enum: [free, premium], default: free }
---
Welcome to {{app_name}} (${version})! You are on the {{tier}} plan.
`;

const chatFile = `---
type: chat
params:
  question: { type: string, required: true }
---
system:
You answer briefly.
user:
{{question}}
`;

const signedFile = `---
params:
  name: { type: string, required: true }
---
Hi {{name}}.
{{> signature}}
`;

const signatureFile = `---
description: Shared sign-off
---
-- The Acme team
`;

export interface FixtureRepo {
  /** The folder holding the repo (for `{ path }` hosts: a folder of repos). */
  root: string;
  dir: string;
  /** Commits that changed welcome.prompt, oldest first: v1, v2, v3. */
  v: string[];
  git(...args: string[]): string;
  /** Commits a new version of a file with plain git; returns the SHA. */
  commit(file: string, content: string, message: string): string;
}

export function makeFixtureRepo(name = 'demo'): FixtureRepo {
  const root = mkdtempSync(join(tmpdir(), 'pf-sdk-repo-'));
  const dir = join(root, name);
  mkdirSync(dir);
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.com', GIT_COMMITTER_NAME: 'Ada', GIT_COMMITTER_EMAIL: 'ada@example.com' },
    }).trim();
  const commit = (file: string, content: string, message: string) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), content);
    git('add', '--', file);
    git('commit', '-q', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  git('init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'chat.prompt'), chatFile);
  writeFileSync(join(dir, 'signed.prompt'), signedFile);
  writeFileSync(join(dir, 'signature.prompt'), signatureFile);
  git('add', '.');
  const v1 = commit('welcome.prompt', welcomeFile('v1'), 'welcome v1');
  const v2 = commit('welcome.prompt', welcomeFile('v2'), 'welcome v2');
  const v3 = commit('welcome.prompt', welcomeFile('v3'), 'welcome v3');
  git('tag', '-a', 'welcome@1.0.0', '-m', 'first release', v1);
  git('tag', '-a', 'welcome@1.1.0', '-m', 'second release', v2);
  git('tag', '-a', 'welcome@2.0.0', '-m', 'major', v3);
  git('update-ref', 'refs/labels/welcome/production', v1);
  git('update-ref', 'refs/labels/welcome/staging', v2);
  // A label named like a version: `2` must never be confused with release 2.0.0.
  git('update-ref', 'refs/labels/welcome/2', v1);
  return { root, dir, v: [v1, v2, v3], git, commit };
}

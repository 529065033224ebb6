/**
 * Install settings: npm runs without warnings about this project's config, and
 * better-sqlite3 is still built from source on install (offline `npm ci` needs no download).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

describe('install settings', function () {
  this.timeout(20_000);

  it('npm prints no "Unknown project config" warning in this project', async () => {
    const stderr = await new Promise<string>((done, fail) =>
      execFile('npm', ['pkg', 'get', 'name'], { cwd: root }, (error, _stdout, stderr) => (error ? fail(error) : done(stderr))),
    );
    assert.doesNotMatch(stderr, /Unknown (project|user|env) config/);
  });

  it('tells prebuild-install (better-sqlite3 install) to build from source, from the project root', () => {
    // prebuild-install runs with cwd = node_modules/better-sqlite3 and looks for its rc file upward.
    const dir = mkdtempSync(join(tmpdir(), 'pf-install-'));
    const origCwd = process.cwd();
    try {
      const pkgDir = join(dir, 'node_modules/better-sqlite3');
      mkdirSync(pkgDir, { recursive: true });
      copyFileSync(join(root, '.prebuild-installrc'), join(dir, '.prebuild-installrc'));
      copyFileSync(join(root, 'node_modules/better-sqlite3/package.json'), join(pkgDir, 'package.json'));
      const requireHere = createRequire(join(root, 'package.json'));
      const pkg = requireHere('better-sqlite3/package.json');
      const rc = requireHere('prebuild-install/rc.js') as (pkg: unknown) => { buildFromSource: boolean };
      process.chdir(pkgDir);
      assert.equal(rc(pkg).buildFromSource, true);
    } finally {
      process.chdir(origCwd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

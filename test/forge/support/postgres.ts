/**
 * A throwaway Postgres cluster for tests and benchmarks: Debian's `postgresql` binaries
 * (installed by .ci/run), initdb + pg_ctl in a temp folder on a free loopback port. The
 * server refuses to run as root, so as root (CI) it runs as the `postgres` system user
 * (or `nobody`); otherwise as the current user. One cluster per process, a fresh
 * database per caller; stopped when the process exits. It never skips: a machine where
 * it cannot start fails the test with the reason.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  port: number;
  /** A new empty database's URL. */
  database(): Promise<string>;
  /** Stops the server (fast), as a crash would. */
  stop(): void;
  /** Starts it again on the same port and data. */
  start(): void;
}

let running: Promise<TestPostgres> | null = null;

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length === 0) throw new Error(`no Postgres server found under ${root}: install Debian's "postgresql" package (apt-get install postgresql), as .ci/run does`);
  return join(root, versions[0], 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The user the server runs as: the caller, or an unprivileged system user when the caller is root. */
function runAs(): { user: string | null; uid: number; gid: number } {
  if (process.getuid?.() !== 0) return { user: null, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  for (const user of ['postgres', 'nobody']) {
    const r = spawnSync('id', ['-u', user], { encoding: 'utf8' });
    if (r.status === 0) {
      const gid = Number(spawnSync('id', ['-g', user], { encoding: 'utf8' }).stdout.trim());
      return { user, uid: Number(r.stdout.trim()), gid };
    }
  }
  throw new Error('running as root and no "postgres" or "nobody" user to run the Postgres server as');
}

export function testPostgres(): Promise<TestPostgres> {
  return (running ??= boot());
}

async function boot(): Promise<TestPostgres> {
  const bin = binDir();
  const who = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'pf-pg-'));
  chmodSync(dir, 0o700);
  chownSync(dir, who.uid, who.gid);
  const data = join(dir, 'data');
  const run = (tool: string, args: string[]) => {
    const cmd = who.user ? ['runuser', '-u', who.user, '--', join(bin, tool), ...args] : [join(bin, tool), ...args];
    const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) throw new Error(`Postgres ${tool} failed (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr || r.stdout).trim()}`);
  };
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'forge', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const start = () => run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', '-t', '30', 'start']);
  start();
  let up = true;
  const stop = () => {
    if (!up) return;
    up = false;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already gone
    }
  };
  process.on('exit', () => {
    stop();
    rmSync(dir, { recursive: true, force: true });
  });
  let n = 0;
  const admin = `postgres://forge@127.0.0.1:${port}/postgres`;
  return {
    port,
    async database() {
      const name = `t${process.pid}_${++n}`;
      const client = new pg.Client(admin);
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://forge@127.0.0.1:${port}/${name}`;
    },
    stop,
    start() {
      if (up) return;
      start();
      up = true;
    },
  };
}


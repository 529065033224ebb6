/**
 * Index build of the prompt store on a generated repository of 10,000 prompts with
 * history: median wall time and peak RSS of opening the store in a fresh process (and
 * of the first listPrompts(), which parses every file the background has not yet),
 * against a floor measured in the same run (the git commands the index needs, run alone).
 * Goals: < 5 s and < 300 MB.
 *
 *   node --import tsx bench/store-index.bench.ts [--prompts 10000] [--commits 2000] [--runs 5]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};

/** One measured index build, in a process of its own so RSS is this build's alone. */
async function measureChild(dir: string): Promise<void> {
  const { PromptStore } = await import('../forge/store');
  const started = performance.now();
  const cpu = process.cpuUsage();
  const store = await PromptStore.open(dir, { watch: false });
  const ms = performance.now() - started;
  const prompts = store.listPrompts().length; // parses every file not parsed yet
  const listed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const resolved = await store.resolve(store.listPrompts()[0].id, 'production').catch(() => store.resolve(store.listPrompts()[0].id));
  await store.close();
  process.stdout.write(JSON.stringify({ ms, listed, cpu: (used.user + used.system) / 1000, rss: process.resourceUsage().maxRSS * 1024, prompts, ok: resolved.sha.length === 40 }));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

interface Build {
  /** open() until it resolves: index built, every file read. */
  ms: number;
  /** open() plus the first listPrompts(): every file parsed too. */
  listed: number;
  /** CPU time of the forge process itself for open + listPrompts (git's own time excluded). */
  cpu: number;
  rss: number;
  prompts: number;
  ok: boolean;
}

function child(dir: string): Promise<Build> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', __filename, '--child', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`index build exited ${code}`))));
  });
}

/** The git work alone: the same rev-list, log and ls-tree the index runs, plus reading every prompt blob. */
function floor(dir: string): number {
  const started = performance.now();
  const run = (a: string[], input?: string) => execFileSync('git', ['--git-dir', dir, ...a], { input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'ignore'] });
  run(['rev-list', '--date-order', '--parents', '--all']);
  run(['log', '--full-history', '--raw', '-c', '--no-abbrev', '--no-renames', '-z', '--format=%H %P%x00%an%x00%ae%x00%aI%x00%B%x00', '--all', '--', '*.prompt']);
  const tree = run(['ls-tree', '-r', '-z', '--full-tree', 'main']).toString().split('\0').filter(Boolean);
  run(['cat-file', '--batch'], tree.map((l) => l.split(/\s/)[2]).join('\n') + '\n');
  return performance.now() - started;
}

async function main(): Promise<void> {
  const prompts = option('prompts', 10_000);
  const commits = option('commits', 2_000);
  const runs = option('runs', 5);
  const root = mkdtempSync(join(tmpdir(), 'pf-bench-index-'));
  try {
    const { makeLargeRepo } = await import('../test/fixtures/git/largeRepo');
    const dir = join(root, 'large.git');
    const genStart = performance.now();
    const stats = await makeLargeRepo(dir, { prompts, commits, editsPerCommit: 15 });
    console.log(
      `generated ${prompts} prompts, ${stats.commits} commits, ${stats.versions} prompt versions, ${stats.labels} labels, ${stats.releases} releases in ${(performance.now() - genStart).toFixed(0)} ms`,
    );
    const floors: number[] = [];
    const builds: Build[] = [];
    for (let i = 0; i < runs; i++) {
      floors.push(floor(dir));
      builds.push(await child(dir));
    }
    if (builds.some((b) => b.prompts !== prompts || !b.ok)) throw new Error(`index incomplete: ${JSON.stringify(builds)}`);
    const ms = median(builds.map((b) => b.ms));
    const listed = median(builds.map((b) => b.listed));
    const rss = median(builds.map((b) => b.rss));
    const floorMs = median(floors);
    console.log(`index build   median ${ms.toFixed(0)} ms  (runs: ${builds.map((b) => b.ms.toFixed(0)).join(', ')})  goal < 5000 ms  ${ms < 5000 ? 'OK' : 'MISSED'}`);
    console.log(`+ listPrompts median ${listed.toFixed(0)} ms  (open, then every summary parsed)  goal < 5000 ms  ${listed < 5000 ? 'OK' : 'MISSED'}`);
    console.log(`forge CPU     median ${median(builds.map((b) => b.cpu)).toFixed(0)} ms  (open + listPrompts, this process only: less sensitive to a busy machine)`);
    console.log(`peak RSS      median ${mb(rss)} MB  goal < 300 MB  ${rss < 300 * 1024 * 1024 ? 'OK' : 'MISSED'}`);
    console.log(`git floor     median ${floorMs.toFixed(0)} ms  (rev-list + log --raw + ls-tree + cat-file of every prompt)`);
    console.log(`ratio         index build / git floor = ${(ms / floorMs).toFixed(2)}x; with every summary parsed ${(listed / floorMs).toFixed(2)}x`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

(args[0] === '--child' ? measureChild(args[1]) : main()).catch((error) => {
  console.error(error);
  process.exit(1);
});

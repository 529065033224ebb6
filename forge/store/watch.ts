/**
 * Notices ref changes made by anyone (plain git, a push, another forge): fs.watch on
 * `refs/`, `packed-refs` and `HEAD` for speed, plus a once-a-second poll of a cheap
 * fingerprint (modification times of `HEAD`, `packed-refs` and every folder under
 * `refs/`, no git process) as a backstop for file systems whose events get lost. Both
 * only nudge; the store then re-reads the refs and reindexes what changed.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Changes whenever a ref is written: git replaces ref files by rename, which touches their folder. */
export async function refsFingerprint(gitDir: string): Promise<string> {
  const parts: string[] = [];
  const mark = async (path: string) => {
    const s = await stat(path).catch(() => null);
    parts.push(s ? `${s.mtimeMs}:${s.size}:${s.ino}` : '-');
  };
  await mark(join(gitDir, 'HEAD'));
  await mark(join(gitDir, 'packed-refs'));
  const walk = async (dir: string): Promise<void> => {
    await mark(dir);
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    await Promise.all(entries.filter((e) => e.isDirectory()).map((e) => walk(join(dir, e.name))));
  };
  await walk(join(gitDir, 'refs'));
  return parts.sort().join('|');
}

export interface RefWatcher {
  close(): void;
}

const DEBOUNCE_MS = 15;
/** The longest the poll may back off, in poll intervals. */
const MAX_POLL_FACTOR = 3;

export function watchRefs(gitDir: string, nudge: () => void, pollMs = 1000): RefWatcher {
  let timer: NodeJS.Timeout | null = null;
  const soon = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      nudge();
    }, DEBOUNCE_MS);
  };
  const watchers: FSWatcher[] = [];
  const add = (path: string, recursive: boolean, filter?: (name: string) => boolean) => {
    try {
      const w = watch(path, { recursive, persistent: false }, (_event, name) => {
        if (!filter || (name && filter(String(name)))) soon();
      });
      w.on('error', () => w.close()); // the poll still covers it
      watchers.push(w);
    } catch {
      // not watchable here: the poll covers it
    }
  };
  add(join(gitDir, 'refs'), true);
  add(gitDir, false, (name) => name === 'packed-refs' || name === 'HEAD');
  // The poll costs a walk of refs/; on repos with thousands of ref folders it backs off
  // toward 2% of the time (fs.watch still reacts at once), but never past a few seconds,
  // so a change whose event was lost is still seen soon.
  let last = '';
  let poll: NodeJS.Timeout | null = null;
  let closed = false;
  const schedule = (delay: number) => {
    if (closed) return;
    poll = setTimeout(async () => {
      const started = performance.now();
      const print = await refsFingerprint(gitDir).catch(() => '');
      if (last && print !== last) nudge();
      last = print;
      schedule(Math.min(Math.max(pollMs, 50 * (performance.now() - started)), MAX_POLL_FACTOR * pollMs));
    }, delay);
    poll.unref();
  };
  schedule(0);
  return {
    close() {
      closed = true;
      if (poll) clearTimeout(poll);
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}

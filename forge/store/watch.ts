/**
 * Notices ref changes made by anyone (plain git, a push, another forge): fs.watch on
 * `refs/`, `packed-refs` and `HEAD` for speed, plus a once-a-second poll as a backstop
 * for file systems whose events get lost. Both only nudge; the store then compares a
 * fingerprint of the refs and reindexes incrementally if it changed.
 */
import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

export interface RefWatcher {
  close(): void;
}

const DEBOUNCE_MS = 15;

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
  const poll = setInterval(nudge, pollMs);
  poll.unref();
  return {
    close() {
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}

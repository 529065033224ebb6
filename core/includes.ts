/**
 * The include walk: every prompt a template includes with `{{> id}}`, transitively, each
 * once. One walk for every layer: the forge's store (to render), its resolve answer and
 * the SDK's local mode (to cache partials beside a prompt), and the lint of param usage.
 * Loading is the caller's (from memory, git or a store, sync or async); a prompt that
 * does not load is skipped, for the render names it as an unknown partial.
 */
import { MAX_NESTING, scanTemplate } from './templateScan';
import type { Range } from './text';

/** Every `{{> id}}`, in source order; the range is that of the id. */
export function templatePartials(body: string): { id: string; range: Range }[] {
  return scanTemplate(body).tags.filter((t) => t.kind === 'partial').map((t) => ({ id: t.name, range: t.nameRange }));
}

/**
 * Yields the ids to load, breadth first, and takes back the loaded prompt's template body
 * (undefined when there is no such prompt). `rootId` is never loaded: a cycle back to the
 * including prompt is the render's to report. Deeper than MAX_NESTING is an error anyway.
 */
export function* includeWalk(body: string, rootId?: string): Generator<string, void, string | undefined> {
  const seen = new Set<string>(rootId === undefined ? [] : [rootId]);
  let wanted = idsIn(body);
  for (let depth = 0; wanted.length > 0 && depth < MAX_NESTING; depth++) {
    const next: string[] = [];
    for (const id of wanted) {
      if (seen.has(id)) continue;
      seen.add(id);
      const included = yield id;
      if (included !== undefined) next.push(...idsIn(included));
    }
    wanted = next;
  }
}

/** The walk with a synchronous loader: the loaded prompts by id. */
export function collectIncludes<T>(body: string, load: (id: string) => T | undefined, bodyOf: (prompt: T) => string, rootId?: string): Map<string, T> {
  const found = new Map<string, T>();
  const walk = includeWalk(body, rootId);
  for (let step = walk.next(); !step.done; ) {
    const prompt = load(step.value);
    if (prompt !== undefined) found.set(step.value, prompt);
    step = walk.next(prompt === undefined ? undefined : bodyOf(prompt));
  }
  return found;
}

/** The walk with an asynchronous loader (git, a store); a rejection ends the walk with it. */
export async function collectIncludesAsync<T>(body: string, load: (id: string) => Promise<T | undefined>, bodyOf: (prompt: T) => string, rootId?: string): Promise<Map<string, T>> {
  const found = new Map<string, T>();
  const walk = includeWalk(body, rootId);
  for (let step = walk.next(); !step.done; ) {
    const prompt = await load(step.value);
    if (prompt !== undefined) found.set(step.value, prompt);
    step = walk.next(prompt === undefined ? undefined : bodyOf(prompt));
  }
  return found;
}

function idsIn(body: string): string[] {
  return templatePartials(body).map((p) => p.id);
}

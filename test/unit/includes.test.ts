/** The include walk (core/includes.ts) that the store, the resolve answer, local mode and the lint share. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { collectIncludes, collectIncludesAsync } from '../../core/includes';

const body = (...ids: string[]) => ids.map((id) => `{{> ${id}}}`).join(' ');

describe('the include walk', () => {
  const repo: Record<string, string> = {
    root: body('a', 'b'),
    a: body('c', 'missing'),
    b: body('c', 'root'),
    c: 'leaf',
  };

  it('finds every included prompt once, skips unknown ones and the including prompt itself', async () => {
    const loads: string[] = [];
    const load = (id: string) => (loads.push(id), repo[id]);
    const found = collectIncludes(repo.root, load, (b) => b, 'root');
    assert.deepEqual([...found.keys()].sort(), ['a', 'b', 'c']);
    assert.deepEqual(loads.sort(), ['a', 'b', 'c', 'missing']);
    const viaAsync = await collectIncludesAsync(repo.root, async (id) => repo[id], (b) => b, 'root');
    assert.deepEqual([...viaAsync.keys()].sort(), ['a', 'b', 'c']);
  });

  it('ends on a cycle between partials', () => {
    const cyclic: Record<string, string> = { x: body('y'), y: body('x') };
    assert.deepEqual([...collectIncludes(body('x'), (id) => cyclic[id], (b) => b).keys()].sort(), ['x', 'y']);
  });

  it('passes on a loader failure instead of hiding it', async () => {
    await assert.rejects(collectIncludesAsync(body('a'), () => Promise.reject(new Error('git failed')), (b: string) => b), /git failed/);
  });

  it('finds exactly the prompts reachable from the body, sync and async alike (property)', async () => {
    const ids = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
    const graph = fc.dictionary(fc.constantFrom(...ids), fc.array(fc.constantFrom(...ids, 'nope'), { maxLength: 4 }));
    await fc.assert(
      fc.asyncProperty(graph, fc.array(fc.constantFrom(...ids), { maxLength: 3 }), async (edges, start) => {
        const text = (id: string) => (Object.hasOwn(edges, id) ? body(...edges[id]) : undefined);
        const reachable = new Set<string>();
        const visit = (id: string) => {
          if (reachable.has(id) || text(id) === undefined) return;
          reachable.add(id);
          for (const next of edges[id]) visit(next);
        };
        start.forEach(visit);
        const sync = collectIncludes(body(...start), text, (b) => b);
        const async_ = await collectIncludesAsync(body(...start), async (id) => text(id), (b) => b);
        assert.deepEqual([...sync.keys()].sort(), [...reachable].sort());
        assert.deepEqual([...async_.keys()].sort(), [...reachable].sort());
      }),
    );
  });
});

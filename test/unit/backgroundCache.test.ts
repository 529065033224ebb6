import assert from 'node:assert/strict';
import { BackgroundCache } from '../../core/backgroundCache';

/** A load the test finishes by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('background cache', () => {
  it('answers nothing at first, loads once however often asked, then answers the loaded value', async () => {
    const loaded: string[] = [];
    const cache = new BackgroundCache<number>({ freshForMs: 60_000, onLoaded: (key) => loaded.push(key) });
    const load = deferred<number>();
    let calls = 0;
    const start = () => {
      calls++;
      return load.promise;
    };
    assert.equal(cache.peek('a', start), undefined);
    assert.equal(cache.peek('a', start), undefined);
    load.resolve(42);
    await load.promise;
    await new Promise((r) => setImmediate(r));
    assert.equal(calls, 1);
    assert.deepEqual(loaded, ['a']);
    assert.equal(cache.peek('a', start), 42);
    assert.equal(calls, 1, 'a fresh value is not loaded again');
  });

  it('keeps the failure value when given one, and nothing otherwise (so the next look retries)', async () => {
    const kept = new BackgroundCache<string>({ freshForMs: 60_000, onFailure: () => 'none' });
    const bare = new BackgroundCache<string>({ freshForMs: 60_000 });
    const failing = () => Promise.reject(new Error('down'));
    kept.peek('a', failing);
    bare.peek('a', failing);
    await new Promise((r) => setImmediate(r));
    assert.equal(kept.peek('a', failing), 'none');
    let retried = false;
    assert.equal(bare.peek('a', () => ((retried = true), Promise.resolve('up'))), undefined);
    assert.ok(retried);
  });

  it('reloads an old value, evicts the oldest entry past the bound, and forgets on request', async () => {
    const cache = new BackgroundCache<number>({ freshForMs: -1, maxEntries: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    let reloaded = 0;
    assert.equal(cache.peek('a', async () => 0), undefined, 'the oldest entry went');
    assert.equal(cache.peek('c', async () => ++reloaded), 3, 'an old value is still answered while it reloads');
    await new Promise((r) => setImmediate(r));
    assert.equal(reloaded, 1);
    cache.delete('c');
    cache.delete();
    assert.equal(cache.peek('b', () => new Promise(() => {})), undefined);
  });
});

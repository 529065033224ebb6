import assert from 'node:assert/strict';
import { LruCache } from '../../../sdk/cache';

describe('sdk LRU cache', () => {
  it('evicts the least recently used entry beyond its bound and counts evictions', () => {
    const cache = new LruCache<number>(2);
    cache.set('a', 1, Infinity);
    cache.set('b', 2, Infinity);
    cache.get('a');
    cache.set('c', 3, Infinity);
    assert.deepEqual([...cache].map(([k]) => k).sort(), ['a', 'c']);
    assert.equal(cache.evictions, 1);
    assert.equal(cache.size, 2);
  });

  it('replaces an entry on set without growing', () => {
    const cache = new LruCache<number>(2);
    cache.set('a', 1, 10);
    cache.set('a', 2, 20);
    assert.equal(cache.size, 1);
    assert.deepEqual({ ...cache.get('a'), used: 0 }, { value: 2, freshUntil: 20, used: 0 });
  });

  it('refuses a bound below one', () => {
    assert.throws(() => new LruCache(0), /maxEntries must be at least 1, got 0/);
  });
});

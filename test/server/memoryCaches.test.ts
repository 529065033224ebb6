/**
 * The language server's in-memory caches of usage and renders: answer at once, ask the
 * source once however often asked, keep nothing of a failure (so the next look retries).
 */
import assert from 'node:assert/strict';
import type { Hosts } from '../../server/src/index/hosts';
import { Renders } from '../../server/src/index/renders';
import type { VersionUsage } from '../../server/src/protocol';
import type { HostSource, RenderedVersion } from '../../server/src/index/source';
import { UsageCounts } from '../../server/src/index/usage';

/** A call the test finishes by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const settle = () => new Promise((r) => setImmediate(r));
const SHA = 'a'.repeat(40);
const calls = (n: number) => ({ sha: SHA, calls: n }) as unknown as VersionUsage;

function hostsWith(source: Partial<HostSource>): Hosts {
  return { source: (host: string) => (host === 'forge' ? (source as HostSource) : undefined) } as unknown as Hosts;
}

describe('language server memory caches', () => {
  it('usage: nothing at first, one fetch however often asked, then the numbers', async () => {
    const answer = deferred<VersionUsage[]>();
    let asked = 0;
    const counts = new UsageCounts(hostsWith({ kind: 'remote', usage: () => (asked++, answer.promise) }));
    assert.equal(counts.of('forge', 'demo', 'welcome', SHA), undefined);
    assert.equal(counts.of('forge', 'demo', 'welcome', SHA), undefined);
    answer.resolve([calls(7)]);
    await settle();
    assert.equal(asked, 1);
    assert.equal(counts.of('forge', 'demo', 'welcome', SHA)?.calls, 7);
    assert.equal(asked, 1, 'fresh numbers are not fetched again');
  });

  it('usage: a failed fetch keeps nothing, so the next look asks again; remembered numbers need no fetch', async () => {
    let asked = 0;
    const counts = new UsageCounts(hostsWith({ kind: 'remote', usage: () => (asked++, Promise.reject(new Error('down'))) }));
    assert.equal(counts.of('forge', 'demo', 'welcome', SHA), undefined);
    await settle();
    assert.equal(counts.of('forge', 'demo', 'welcome', SHA), undefined);
    assert.equal(asked, 2);
    counts.remember('forge', 'demo', 'other', [calls(3)]);
    assert.equal(counts.of('forge', 'demo', 'other', SHA)?.calls, 3);
    assert.equal(asked, 2);
  });

  it('renders: a local render is awaited once and kept; a failure is answered but not kept', async () => {
    let renders = 0;
    let fail = true;
    const rendered = { text: 'Hello' } as unknown as RenderedVersion;
    const renderer = new Renders(hostsWith({ kind: 'local', render: async () => (renders++, fail ? Promise.reject(new Error('boom')) : rendered) }));
    assert.deepEqual(await renderer.get('forge', 'demo', 'welcome', SHA, {}), { ok: false, message: 'boom' });
    fail = false;
    const [a, b] = await Promise.all([renderer.get('forge', 'demo', 'welcome', SHA, {}), renderer.get('forge', 'demo', 'welcome', SHA, {})]);
    assert.deepEqual(a, { ok: true, value: rendered });
    assert.deepEqual(b, a);
    assert.deepEqual(await renderer.get('forge', 'demo', 'welcome', SHA, {}), { ok: true, value: rendered });
    assert.equal(renders, 2, 'the failure was asked again, the success once');
    assert.equal(await renderer.get('elsewhere', 'demo', 'welcome', SHA, {}), undefined);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PromptEntry } from '../../../sdk/entry';
import { Snapshot, readSnapshot } from '../../../sdk/snapshot';

const entry = (sha: string): PromptEntry => ({
  repo: 'demo',
  id: 'welcome',
  sha,
  release: '1.0.0',
  labels: ['production'],
  type: 'text',
  template: 'Hi {{name}}',
  params: { name: { type: 'string', required: true } },
  canonical: `prompt://h/demo/welcome/${sha}`,
});

describe('sdk snapshot file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pf-sdk-snap-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes entries atomically into a new folder and reads them back', () => {
    const path = join(dir, 'nested', 'snap.json');
    const errors: unknown[] = [];
    const snap = new Snapshot(path, (e) => errors.push(e));
    snap.put('k1', entry('a'.repeat(40)));
    snap.flush();
    assert.deepEqual(readdirSync(join(dir, 'nested')), ['snap.json']);
    assert.deepEqual(readSnapshot(path).get('k1'), entry('a'.repeat(40)));
    snap.delete('k1');
    snap.flush();
    assert.equal(readSnapshot(path).size, 0);
    assert.deepEqual(errors, []);
  });

  it('treats a missing file as empty and reports a corrupt one instead of failing the app', () => {
    assert.equal(readSnapshot(join(dir, 'none.json')).size, 0);
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{"not":"a snapshot"}');
    const errors: Error[] = [];
    const snap = new Snapshot(path, (e) => errors.push(e as Error));
    assert.equal(snap.entries.size, 0);
    assert.match(errors[0].message, /ignoring snapshot .*bad\.json: .* is not a prompt snapshot file/);
    assert.equal(readFileSync(path, 'utf8'), '{"not":"a snapshot"}');
  });
});

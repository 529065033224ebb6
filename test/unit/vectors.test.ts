/**
 * The shared test vectors (test/vectors/*.json): core must still give the answer each
 * file records. The Python client's suite runs the same files, so a rule changed in one
 * language and not the other fails one of the two suites. After an intended change to
 * core, regenerate them: `npx tsx test/vectors/generate.ts`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUITES, type SuiteName } from '../vectors/compute';

const dir = join(__dirname, '..', 'vectors');

describe('shared test vectors (core answers what the files say)', () => {
  for (const suite of Object.keys(SUITES) as SuiteName[]) {
    it(`${suite}.json`, () => {
      const { cases } = JSON.parse(readFileSync(join(dir, `${suite}.json`), 'utf8')) as { cases: { input: unknown; expected: unknown }[] };
      assert.ok(cases.length > 10, `${suite}.json has too few cases`);
      const answer = SUITES[suite] as (input: unknown) => unknown;
      const differ = cases.filter((c) => !isDeepStrictEqualJson(answer(c.input), c.expected));
      assert.equal(differ.length, 0, `${differ.length} ${suite} vectors differ from core, e.g. ${JSON.stringify(differ[0]?.input)}; regenerate with npx tsx test/vectors/generate.ts if core changed on purpose`);
    });
  }

  it('hashes the published FNV-1a 32-bit vectors', () => {
    const { cases } = JSON.parse(readFileSync(join(dir, 'assignment.json'), 'utf8')) as { cases: { input: { fnv1a32?: string }; expected: { hash?: number } }[] };
    const hash = (text: string) => cases.find((c) => c.input.fnv1a32 === text)?.expected.hash;
    assert.equal(hash(''), 0x811c9dc5);
    assert.equal(hash('a'), 0xe40c292c);
    assert.equal(hash('foobar'), 0xbf9cf968);
  });
});

/** Compares as JSON does (the files hold JSON; -0 and undefined have no JSON form). */
function isDeepStrictEqualJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

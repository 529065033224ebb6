import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { assign, assigner, bucketRanges, chooseVariation, hashUnit, hashV2, fnv1a32 } from '../../core/experiments';

/** GrowthBook's own SDK test cases (see test/fixtures/growthbook/README.md). */
const cases = JSON.parse(readFileSync(join(__dirname, '../fixtures/growthbook/cases.json'), 'utf8')) as {
  hash: [string, string, number, number | null][];
  getBucketRange: [string, [number, number, number[] | null], [number, number][]][];
  chooseVariation: [string, number, [number, number][], number][];
};

describe('experiment assignment (GrowthBook v2)', () => {
  it('hashes every v2 case of GrowthBook\'s SDK test suite to the same number', () => {
    const v2 = cases.hash.filter(([, , version]) => version === 2);
    assert.ok(v2.length >= 7);
    for (const [seed, value, , expected] of v2) assert.equal(hashV2(seed, value), expected, `hash(${JSON.stringify(seed)}, ${JSON.stringify(value)})`);
  });

  it('the allocation-free hash of assignment equals hashV2 on any seed and unit (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), (seed, unit) => {
        assert.equal(hashUnit(assigner(seed, [0.5], 1), unit), hashV2(seed, unit));
      }),
      { numRuns: 300 },
    );
    for (const [seed, value, , expected] of cases.hash.filter(([, , v]) => v === 2)) assert.equal(hashUnit(assigner(seed, [0.5], 1), value), expected);
  });

  it('fnv1a32 matches the published FNV-1a test vectors', () => {
    assert.equal(fnv1a32(''), 0x811c9dc5);
    assert.equal(fnv1a32('a'), 0xe40c292c);
    assert.equal(fnv1a32('foobar'), 0xbf9cf968);
  });

  it('builds GrowthBook\'s bucket ranges for every valid weights/coverage case', () => {
    // Cases with invalid input (negative or >1 coverage, weights not summing to 1, wrong
    // length) are repaired by GrowthBook; Prompt Forge refuses such definitions instead.
    let checked = 0;
    for (const [name, [count, coverage, weights], expected] of cases.getBucketRange) {
      const w = weights ?? Array.from({ length: count }, () => 1 / count);
      const sum = w.reduce((s, x) => s + x, 0);
      if (coverage < 0 || coverage > 1 || w.length !== count || sum < 0.99 || sum > 1.01) continue;
      const ranges = bucketRanges(w, coverage);
      assert.equal(ranges.length, expected.length, name);
      ranges.forEach(([a, b], i) => {
        assert.ok(Math.abs(a - expected[i][0]) < 1e-9 && Math.abs(b - expected[i][1]) < 1e-9, `${name}: range ${i} is [${a}, ${b}), expected [${expected[i]}]`);
      });
      checked++;
    }
    assert.ok(checked >= 8, `only ${checked} cases checked`);
  });

  it('chooses the variation GrowthBook chooses for every chooseVariation case', () => {
    for (const [name, n, ranges, expected] of cases.chooseVariation) assert.equal(chooseVariation(n, ranges), expected, name);
  });

  it('splits 100,000 units 90/10 within half a point', () => {
    const a = assigner('welcome-production-exp', [0.1], 1);
    let candidate = 0;
    for (let u = 0; u < 100_000; u++) if (assign(a, `user-${u}`) === 1) candidate++;
    const share = candidate / 100_000;
    assert.ok(Math.abs(share - 0.1) <= 0.005, `candidate share ${share}`);
  });

  it('gives the same unit the same variation every time (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.double({ min: 0.01, max: 0.9, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (seed, unit, weight, coverage) => {
        const first = assign(assigner(seed, [weight], coverage), unit);
        assert.equal(assign(assigner(seed, [weight], coverage), unit), first);
        assert.ok(first >= -1 && first <= 1);
      }),
    );
  });

  it('moves no enrolled unit when coverage rises from 10% to 50% (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.array(fc.string(), { minLength: 1, maxLength: 200 }), fc.double({ min: 0.01, max: 0.5, noNaN: true }), (seed, units, weight) => {
        const narrow = assigner(seed, [weight], 0.1);
        const wide = assigner(seed, [weight], 0.5);
        for (const unit of units) {
          const before = assign(narrow, unit);
          if (before >= 0) assert.equal(assign(wide, unit), before, `unit ${JSON.stringify(unit)} moved`);
        }
      }),
    );
    // and over many units, about 10% then 50% are enrolled
    const at = (c: number) => {
      const a = assigner('ramp', [0.1], c);
      let n = 0;
      for (let u = 0; u < 20_000; u++) if (assign(a, String(u)) >= 0) n++;
      return n / 20_000;
    };
    assert.ok(Math.abs(at(0.1) - 0.1) < 0.01 && Math.abs(at(0.5) - 0.5) < 0.015);
  });

  it('puts a unit outside every range when coverage is 0 (it gets the control, not enrolled)', () => {
    assert.equal(assign(assigner('s', [0.5], 0), 'anyone'), -1);
  });
});

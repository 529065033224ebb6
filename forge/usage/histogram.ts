/**
 * Bounded latency histogram, so percentiles over any number of events cost a walk
 * over a few thousand bins instead of a sort. Latencies are rounded to whole
 * milliseconds; below 256 ms every millisecond has its own bin (exact), above it
 * each power of two is split into 128 bins (within 0.4% of the true value).
 */

const EXACT = 256;
const SUB_BITS = 7;
const SUB = 1 << SUB_BITS;
const MAX_EXPONENT = 30;
export const BINS = EXACT + (MAX_EXPONENT - 8 + 1) * SUB;

export function binOf(latencyMs: number): number {
  const n = Math.min(Math.round(latencyMs), 2 ** (MAX_EXPONENT + 1) - 1);
  if (n < EXACT) return n;
  const e = 31 - Math.clz32(n);
  const sub = (n - 2 ** e) >>> (e - SUB_BITS);
  return EXACT + (e - 8) * SUB + sub;
}

/** The value a bin stands for: itself when exact, else the middle of its range. */
export function valueOf(bin: number): number {
  if (bin < EXACT) return bin;
  const e = 8 + Math.floor((bin - EXACT) / SUB);
  const width = 2 ** (e - SUB_BITS);
  return 2 ** e + ((bin - EXACT) % SUB) * width + width / 2;
}

/** Dense counts, used while merging. */
export function emptyCounts(): Float64Array {
  return new Float64Array(BINS);
}

/** Sparse on-disk form: (uint16 bin, uint32 count) pairs. */
export function encode(counts: Map<number, number>): Buffer {
  const buf = Buffer.allocUnsafe(counts.size * 6);
  let at = 0;
  for (const [bin, count] of counts) {
    buf.writeUInt16LE(bin, at);
    buf.writeUInt32LE(count, at + 2);
    at += 6;
  }
  return buf;
}

export function decodeInto(buf: Buffer | null, into: Map<number, number>): void {
  if (!buf) return;
  for (let at = 0; at + 6 <= buf.length; at += 6) {
    const bin = buf.readUInt16LE(at);
    into.set(bin, (into.get(bin) ?? 0) + buf.readUInt32LE(at + 2));
  }
}

export function addInto(buf: Buffer | null, counts: Float64Array): void {
  if (!buf) return;
  for (let at = 0; at + 6 <= buf.length; at += 6) counts[buf.readUInt16LE(at)] += buf.readUInt32LE(at + 2);
}

/**
 * Nearest-rank percentiles (the smallest value with at least p% of the samples at or
 * below it) for ascending `ps`, in one pass.
 */
export function percentiles(counts: Float64Array, total: number, ps: number[]): (number | null)[] {
  if (total === 0) return ps.map(() => null);
  const ranks = ps.map((p) => Math.max(1, Math.ceil((p / 100) * total)));
  const out: number[] = [];
  let seen = 0;
  for (let bin = 0; bin < BINS && out.length < ranks.length; bin++) {
    seen += counts[bin];
    while (out.length < ranks.length && seen >= ranks[out.length]) out.push(valueOf(bin));
  }
  return out;
}

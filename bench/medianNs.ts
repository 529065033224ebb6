/** Median nanoseconds per call of `fn` over `samples` batches of `batch` calls, after a warm-up batch. */
export function medianNs(fn: () => unknown, batch = 5_000, samples = 15): number {
  for (let i = 0; i < batch; i++) fn();
  const perCall: number[] = [];
  for (let s = 0; s < samples; s++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    perCall.push(Number(process.hrtime.bigint() - started) / batch);
  }
  return perCall.sort((a, b) => a - b)[Math.floor(samples / 2)];
}

/**
 * What reading a prompt URI costs: parsePromptUri (grammar, ranges, param decoding) and
 * short-reference expansion on realistic references, against a floor measured in the
 * same run, WHATWG `new URL()` of the same strings (less checking, no ranges).
 *
 *   node --import tsx bench/uri.bench.ts
 */
import { expandReference, parsePromptUri } from '../core/uri';
import { medianNs } from './medianNs';

const longQuery = Array.from({ length: 60 }, (_, i) => `param_${i}=${encodeURIComponent(`value number ${i} with spaces & signs`)}`).join('&');
const cases: [string, string][] = [
  ['short path', 'prompt://prompts.acme.dev/support/welcome/production'],
  ['params', 'prompt://localhost:7070/demo/welcome/main/HEAD?app_name=Acme&tier=premium&user_name=Ada%20Lovelace'],
  ['semver range', 'prompt://prompts.acme.dev/support/classify-intent/^1.2?labels=%5B%22billing%22%2C%22refund%22%5D'],
  [`long query (${(longQuery.length / 1024).toFixed(1)} KB)`, `prompt://prompts.acme.dev/support/welcome/1.4.0?${longQuery}`],
];
if (cases.some(([, uri]) => !parsePromptUri(uri).uri)) throw new Error('a benchmark URI does not parse');

const µs = (ns: number) => `${(ns / 1000).toFixed(2)} µs`.padStart(10);
console.log('uri'.padEnd(34), 'floor: new URL'.padStart(14), 'parsePromptUri'.padStart(15), 'ratio'.padStart(7));
for (const [name, uri] of cases) {
  const batch = uri.length > 1000 ? 500 : 5_000;
  const floor = medianNs(() => new URL(uri).searchParams.size, batch);
  const parse = medianNs(() => parsePromptUri(uri), batch);
  console.log(name.padEnd(34), µs(floor).padStart(14), µs(parse).padStart(15), `${(parse / floor).toFixed(1)}x`.padStart(7));
}
const defaults = { host: 'prompts.acme.dev', repo: 'support' };
const short = medianNs(() => expandReference('welcome:production', { defaults }));
console.log('short ref welcome:production'.padEnd(34), ''.padStart(14), µs(short).padStart(15));

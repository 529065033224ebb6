/**
 * What a render costs once a prompt is known: renderPrompt on a typical prompt with an
 * include (params validated, template cached) against a floor measured in the same
 * run, a hand-written template literal producing the same text. Also plain Mustache on
 * the same template, parsing a file, and a cold vs cached render of a 1 MB body.
 *
 *   node --import tsx bench/template.bench.ts
 */
import Mustache from 'mustache';
import { parsePromptFile } from '../core/promptFile';
import { renderPrompt } from '../core/template';
import { medianNs } from './medianNs';

const welcomeText = `---
description: Greets a new user
params:
  app_name: { type: string, required: true, description: Product name }
  tier:     { type: string, enum: [free, premium], default: free }
  items:    { type: array, default: [] }
tags: [onboarding]
status: active
---
Welcome to {{app_name}}! You are on the {{tier}} plan.
{{#items}}
- {{title}}
{{/items}}
{{> signature}}
`;
const signatureText = '---\nparams:\n  team: { type: string, default: The team }\n---\nBest regards,\n{{team}}\n';
const welcome = parsePromptFile(welcomeText).file;
const signature = parsePromptFile(signatureText).file;
const lookup = (id: string) => (id === 'signature' ? signature : undefined);
const params = { app_name: 'Acme', items: [{ title: 'Set up billing' }, { title: 'Invite your team' }] };

const floor = (v: { app_name: string; tier: string; items: { title: string }[]; team: string }) =>
  `Welcome to ${v.app_name}! You are on the ${v.tier} plan.\n${v.items.map((i) => `- ${i.title}\n`).join('')}Best regards,\n${v.team}\n`;

const expected = renderPrompt(welcome, params, lookup).text;
if (expected !== floor({ ...params, tier: 'free', team: 'The team' })) throw new Error(`render and floor differ:\n${expected}`);

const rows: [string, number][] = [
  ['floor: template literal', medianNs(() => floor({ ...params, tier: 'free', team: 'The team' }))],
  ['renderPrompt (validate + cached render)', medianNs(() => renderPrompt(welcome, params, lookup))],
  ['Mustache.render, HTML-escaping default', medianNs(() => Mustache.render(welcome.body, { ...params, tier: 'free', team: 'The team' }, { signature: signature.body }))],
  ['parsePromptFile (typical file)', medianNs(() => parsePromptFile(welcomeText), 500)],
];
const base = rows[0][1];
console.log('operation'.padEnd(44), 'median'.padStart(10), 'ratio'.padStart(8));
for (const [name, ns] of rows) console.log(name.padEnd(44), `${(ns / 1000).toFixed(2)} µs`.padStart(10), `${(ns / base).toFixed(1)}x`.padStart(8));

const big = parsePromptFile('---\nparams:\n  a: { type: string }\n---\n' + 'word {{a}} '.repeat(100_000)).file;
const time = (fn: () => unknown) => {
  const started = performance.now();
  fn();
  return performance.now() - started;
};
const cold = time(() => renderPrompt(big, { a: 'x' }, lookup));
const warm = time(() => renderPrompt(big, { a: 'x' }, lookup));
console.log(`1 MB body, 100,000 tags: first render ${cold.toFixed(0)} ms, cached ${warm.toFixed(0)} ms`);

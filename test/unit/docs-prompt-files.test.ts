import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePromptFile, type PromptFile } from '../../core/promptFile';
import { renderPrompt } from '../../core/template';

/**
 * Runs the examples of docs/prompt-files.md. A ```prompt block (optionally `id=NAME`, so
 * others can include it) starts an example; the blocks after it give params (```json params,
 * `render=ID` to render an earlier prompt, or ```text query for URI-style strings) and what
 * rendering must give (```text output,
 * ```json messages, or ```text problems: one `code [param]` per line).
 */
interface Block { kind: string; content: string; line: number }

function blocks(markdown: string): Block[] {
  const found: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)(?: (.*))?$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.indexOf('```', i + 1);
    found.push({ kind: [open[1], open[2]].filter(Boolean).join(' '), content: lines.slice(i + 1, end).join('\n') + '\n', line: i + 1 });
    i = end;
  }
  return found;
}

const doc = readFileSync(join(__dirname, '../../docs/prompt-files.md'), 'utf8');
const all = blocks(doc);
const prompts = new Map<string, PromptFile>();
all.forEach((block, n) => {
  const id = /^prompt(?: id=(\S+))?$/.exec(block.kind);
  if (id) prompts.set(id[1] ?? `example-${n}`, parsePromptFile(block.content).file);
});

describe('docs/prompt-files.md examples', () => {
  let current: { id: string; block: Block } | undefined;
  let params: Record<string, unknown> = {};
  let fromStrings = false;
  const checkedIds = new Set<string>();
  all.forEach((block, n) => {
    const opening = /^prompt(?: id=(\S+))?$/.exec(block.kind);
    if (opening) {
      current = { id: opening[1] ?? `example-${n}`, block };
      params = {};
      fromStrings = false;
      return;
    }
    const target = /^json params render=(\S+)$/.exec(block.kind);
    if (target) current = { id: target[1], block: all.find((b) => b.kind === `prompt id=${target[1]}`)! };
    if (block.kind.startsWith('json params')) ({ params, fromStrings } = { params: JSON.parse(block.content), fromStrings: false });
    else if (block.kind === 'text query') ({ params, fromStrings } = { params: Object.fromEntries(new URLSearchParams(block.content.trim())), fromStrings: true });
    if (!['text output', 'json messages', 'text problems'].includes(block.kind)) return;
    assert.ok(current, `an expectation on line ${block.line} follows no prompt`);
    const { id, block: source } = current;
    const given = { params, fromStrings };
    checkedIds.add(id);
    it(`line ${block.line}: ${id} renders as documented`, () => {
      const parsed = parsePromptFile(source.content);
      const result = renderPrompt(prompts.get(id)!, given.params, (other) => prompts.get(other), { fromStrings: given.fromStrings, id });
      const problems = [...parsed.problems, ...result.problems];
      if (block.kind === 'text problems') {
        const expected = block.content.trim().split('\n').map((l) => l.trim());
        assert.deepEqual(problems.map((p) => ['param' in p ? `${p.code} ${p.param}` : p.code]).flat().sort(), expected.sort());
        return;
      }
      assert.deepEqual(problems, []);
      if (block.kind === 'text output') assert.equal(result.text, block.content);
      else assert.deepEqual(result.messages, JSON.parse(block.content));
    });
  });

  it('every prompt example is checked, or included by one that is', () => {
    const included = new Set([...doc.matchAll(/\{\{> ?(\S+?)\}\}/g)].map((m) => m[1]));
    assert.ok(checkedIds.size >= 6, `only ${checkedIds.size} examples found`);
    for (const id of prompts.keys()) assert.ok(checkedIds.has(id) || included.has(id), `the example \`${id}\` is never checked`);
  });

  it('the cycle message quoted in the text is the real one', () => {
    const quoted = /reports `(The partials include[^`]*)`/.exec(doc)?.[1];
    const result = renderPrompt(prompts.get('ping')!, {}, (other) => prompts.get(other), { id: 'ping' });
    assert.equal(result.problems[0].message, quoted);
  });
});

/** The fenced code block after a `<!-- test:NAME -->` marker in a doc, so doc examples can be run. */
import { strict as assert } from 'node:assert';

export function block(text: string, name: string): string {
  const match = new RegExp(`<!-- test:${name} -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\`\`\``).exec(text);
  assert.ok(match, `no block marked test:${name}`);
  return match[1];
}

/**
 * Turns a prompt written for another tool into a Mustache body and the params it uses:
 * `{{var}}` and `{{ var }}` (Mustache, Jinja, Langfuse, promptfoo's Nunjucks) stay
 * Mustache tags; `{var}` (Python str.format) becomes `{{var}}` when the text has no
 * double braces. What has no Mustache equivalent (Jinja statements and filters,
 * positional `{}` or `{0}`) is refused with the place and the reason, never dropped.
 */
import { scanTemplate } from '../templateScan';
import { LineIndex } from '../text';

export interface Converted {
  body: string;
  /** Names used as plain values, in order of first use. */
  params: string[];
  /** Names used as `{{#sections}}` or `{{^inverted}}`: their type is unknown, so they are declared boolean. */
  sections: string[];
}

export type Conversion = { ok: true; value: Converted } | { ok: false; reason: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function convertPlaceholders(text: string): Conversion {
  const lines = new LineIndex(text);
  const where = (offset: number) => {
    const at = lines.position(offset);
    return `line ${at.line + 1}, column ${at.character + 1}`;
  };
  const statement = /\{%-?\s*(\w+)?[\s\S]*?%\}/.exec(text);
  if (statement) return { ok: false, reason: `the Jinja statement \`${excerpt(statement[0])}\` (${where(statement.index)}) has no Mustache equivalent; rewrite it as a section` };
  const body = text.includes('{{') ? normalizeDoubleBraces(text) : fromFormatString(text);
  if (!body.ok) return { ok: false, reason: `${body.reason} (${where(body.at)})` };
  const scan = scanTemplate(body.text);
  const error = scan.problems.find((p) => p.severity === 'error');
  if (error) return { ok: false, reason: `not a valid template: ${error.message}` };
  const params: string[] = [];
  const sections: string[] = [];
  for (const tag of scan.tags) {
    const name = tag.name.split('.')[0];
    if (!name || tag.within.length > 0) continue;
    if (tag.kind === 'variable' || tag.kind === 'unescaped') {
      if (!params.includes(name)) params.push(name);
    } else if ((tag.kind === 'section' || tag.kind === 'inverted') && !sections.includes(name)) sections.push(name);
    else if (tag.kind === 'partial') return { ok: false, reason: `it includes \`${tag.name}\`, which is not imported with it` };
  }
  return { ok: true, value: { body: body.text, params, sections: sections.filter((s) => !params.includes(s)) } };
}

/** `{{ name }}` → `{{name}}`; filters (`|`) and expressions are refused. */
function normalizeDoubleBraces(text: string): { ok: true; text: string } | { ok: false; reason: string; at: number } {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(/\{\{(?![#^/>!&{=])\s*([^}]*?)\s*\}\}/g)) {
    const inner = match[1];
    const at = match.index!;
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(inner) && inner !== '.') {
      return { ok: false, reason: `\`${excerpt(match[0])}\` is an expression or filter, not a plain name; Mustache inserts names only`, at };
    }
    out += text.slice(last, at) + `{{${inner}}}`;
    last = at + match[0].length;
  }
  return { ok: true, text: out + text.slice(last) };
}

/** Python's `str.format` style: `{name}` → `{{name}}`; `{}` and `{0}` have no name to become a param. */
function fromFormatString(text: string): { ok: true; text: string } | { ok: false; reason: string; at: number } {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(/\{([^{}\n]*)\}/g)) {
    const inner = match[1].trim();
    const at = match.index!;
    if (inner === '' || /^\d+$/.test(inner)) return { ok: false, reason: `\`${match[0]}\` is a positional placeholder; give it a name (\`{name}\`) so it can become a param`, at };
    if (!NAME.test(inner)) continue; // `{ "json": 1 }` and other literal braces stay as they are
    out += text.slice(last, at) + `{{${inner}}}`;
    last = at + match[0].length;
  }
  return { ok: true, text: out + text.slice(last) };
}

function excerpt(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

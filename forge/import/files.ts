/**
 * `promptforge import DIR`: text, Markdown and template files become prompts, one per
 * file, ids from the file names. Every other file is listed with the reason it was left.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { convertPlaceholders } from '../../core/import/placeholders';
import { addPrompt, idFrom, promptText, type ImportPlan } from '../../core/import/plan';

export const IMPORTABLE = ['.txt', '.md', '.jinja', '.jinja2', '.j2', '.mustache', '.hbs', '.tmpl', '.prompt'];

export function planFiles(dir: string, plan: ImportPlan = { prompts: [], skipped: [] }): ImportPlan {
  for (const path of walk(dir)) {
    const source = relative(dir, path) || path;
    const ext = extname(path).toLowerCase();
    if (!IMPORTABLE.includes(ext)) {
      plan.skipped.push({ source, reason: `${ext || 'no extension'}: not a prompt file type (${IMPORTABLE.join(' ')})` });
      continue;
    }
    const id = idFrom(path.split('/').pop()!.slice(0, -ext.length));
    if (!id) {
      plan.skipped.push({ source, reason: 'its name cannot become a prompt id (letters, digits, ".", "_" and "-")' });
      continue;
    }
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      plan.skipped.push({ source, reason: `cannot be read: ${(error as Error).message}` });
      continue;
    }
    if (text.includes('\u0000')) {
      plan.skipped.push({ source, reason: 'it is not text' });
      continue;
    }
    if (ext === '.prompt') {
      addPrompt(plan, { id, source, versions: [{ content: text, message: `Import ${id}`, labels: [] }] });
      continue;
    }
    const converted = convertPlaceholders(text);
    if (!converted.ok) plan.skipped.push({ source, reason: converted.reason });
    else addPrompt(plan, { id, source, versions: [{ content: promptText(converted.value), message: `Import ${id}`, labels: [] }] });
  }
  return plan;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

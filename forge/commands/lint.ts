import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LineIndex } from '../../core/text';
import { parsePromptFile } from '../../core/promptFile';
import { UsageError, type Command } from './command';

export const lintCommand: Command = {
  name: 'lint',
  summary: 'check .prompt files (CI-friendly: file:line:col, exit 1 on errors)',
  usage: 'promptforge lint [PATH…]',
  help: `Checks every .prompt file in the given files and folders (default: the current folder;
hidden folders and node_modules are skipped). Prints one "file:line:col: severity: message
[code]" line per problem and exits 1 when any error was found, 0 otherwise.

  --quiet                   print errors only, no warnings or summary`,
  options: { quiet: { type: 'boolean' } },
  async run(values, positionals) {
    const files = (positionals.length > 0 ? positionals : ['.']).flatMap((path) => promptFiles(path));
    let errors = 0;
    let warnings = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const lines = new LineIndex(text);
      for (const p of parsePromptFile(text).problems) {
        if (p.severity === 'error') errors++;
        else if (values.quiet) continue;
        else warnings++;
        const at = lines.position(p.range.start);
        process.stdout.write(`${relative(process.cwd(), file) || file}:${at.line + 1}:${at.character + 1}: ${p.severity}: ${p.message} [${p.code}]\n`);
      }
    }
    if (!values.quiet) process.stderr.write(`${files.length} file${files.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
    return errors > 0 ? 1 : 0;
  },
};

function promptFiles(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new UsageError(`${path}: no such file or folder`);
  }
  if (stat.isFile()) return [path];
  const out: string[] = [];
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(path, entry.name);
    if (entry.isDirectory()) out.push(...promptFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.prompt')) out.push(full);
  }
  return out;
}

/**
 * `promptforge`: the forge's command line. One table of sub-commands, each parsed with
 * node:util parseArgs; every failure is one line on stderr, mapped here and only here,
 * and an exit code (1 = the command failed, 2 = wrong use of the command line).
 */
import { parseArgs } from 'node:util';
import { UsageError, type Command } from './commands/command';
import { demoCommand } from './commands/demo';
import { experimentCommand } from './commands/experiment';
import { importCommand } from './commands/import';
import { initCommand } from './commands/init';
import { keysCommand } from './commands/keys';
import { lintCommand } from './commands/lint';
import { promoteCommand } from './commands/promote';
import { releaseCommand } from './commands/release';
import { requestCommand } from './commands/request';
import { resolveCommand } from './commands/resolve';
import { serveCommand } from './commands/serve';
import { testCommand } from './commands/test';
import { webhooksCommand } from './commands/webhooks';

const commands: Command[] = [serveCommand, initCommand, demoCommand, resolveCommand, promoteCommand, releaseCommand, experimentCommand, lintCommand, testCommand, importCommand, requestCommand, keysCommand, webhooksCommand];

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `promptforge — a git-backed forge for versioned LLM prompts

Usage: promptforge COMMAND [options]   (promptforge COMMAND --help for details)

${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}
`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(overview());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`promptforge: unknown command "${name}"; commands: ${commands.map((c) => c.name).join(', ')}\n`);
    return 2;
  }
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    } catch (error) {
      // node's text goes on about positionals after `--`; the first sentence is the point.
      throw new UsageError((error as Error).message.split('\n')[0].replace(/^(Unknown option '[^']*')\..*$/, '$1'));
    }
    if (parsed.values.help) {
      process.stdout.write(`Usage: ${command.usage}\n\n${command.help}\n`);
      return 0;
    }
    return await command.run(parsed.values, parsed.positionals);
  } catch (error) {
    const usage = error instanceof UsageError;
    process.stderr.write(`promptforge ${name}: ${oneLine(error)}${usage ? ` (see promptforge ${name} --help)` : ''}\n`);
    if (process.env.PROMPTFORGE_DEBUG) process.stderr.write(`${(error as Error)?.stack}\n`);
    return usage ? 2 : 1;
  }
}

/** Why the user's files said no, in words: the errno codes a path argument can meet. */
const REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'not a folder',
  EISDIR: 'is a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EEXIST: 'already exists',
};

/**
 * Every failure as one line: a system error names its path and reason instead of node's
 * `ENOTDIR: not a directory, scandir '…'`; anything else keeps its first line.
 */
function oneLine(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e instanceof Error && typeof e.code === 'string' && e.syscall && REASONS[e.code]) return e.path ? `${e.path}: ${REASONS[e.code]}` : REASONS[e.code];
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n').find((line) => line.trim() !== '') ?? text;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`promptforge: ${oneLine(error)}\n`);
    process.exitCode = 1;
  },
);

/**
 * `promptforge`: the forge's command line. One table of sub-commands, each parsed with
 * node:util parseArgs; every failure is one line on stderr and an exit code
 * (1 = the command failed, 2 = wrong use of the command line).
 */
import { parseArgs } from 'node:util';
import { UsageError, type Command } from './commands/command';
import { demoCommand } from './commands/demo';
import { experimentCommand } from './commands/experiment';
import { initCommand } from './commands/init';
import { keysCommand } from './commands/keys';
import { lintCommand } from './commands/lint';
import { promoteCommand } from './commands/promote';
import { releaseCommand } from './commands/release';
import { resolveCommand } from './commands/resolve';
import { serveCommand } from './commands/serve';

const commands: Command[] = [serveCommand, initCommand, demoCommand, resolveCommand, promoteCommand, releaseCommand, experimentCommand, lintCommand, keysCommand];

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
      throw new UsageError((error as Error).message.split('\n')[0]);
    }
    if (parsed.values.help) {
      process.stdout.write(`Usage: ${command.usage}\n\n${command.help}\n`);
      return 0;
    }
    return await command.run(parsed.values, parsed.positionals);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`promptforge ${name}: ${error.message}\nUsage: ${command.usage}\n`);
      return 2;
    }
    process.stderr.write(`promptforge ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.PROMPTFORGE_DEBUG) process.stderr.write(`${(error as Error)?.stack}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`promptforge: ${String(error)}\n`);
    process.exitCode = 1;
  },
);

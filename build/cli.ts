// The CLI: picks the subcommand, runs it, and is the one place that prints user errors and sets the exit code.
import { readFileSync } from 'node:fs';
import { UsageError, UserError } from './errors.ts';
import { log } from './log.ts';
import { buildCommand } from './commands/build.ts';
import type { Command } from './commands/command.ts';
import { checkCommand } from './commands/check.ts';
import { previewCommand } from './commands/preview.ts';
import { importCommand } from './commands/import.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** Exit code of a run stopped by a signal (128 + SIGINT). */
const INTERRUPTED = 130;
/** Once interrupted, cleanup gets this long before the process exits regardless. */
const CLEANUP_GRACE_MS = 10_000;

const COMMANDS: Record<string, Command> = {
  build: buildCommand,
  preview: previewCommand,
  check: checkCommand,
  import: importCommand,
};

function help(): string {
  const rows = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(9)}${command.summary}`);
  return `banmian ${version} — newspaper articles from Markdown to print PDF, EPUB 3 and a proofreading preview

Usage: banmian <command> [options]

Commands:
${rows.join('\n')}

Run \`banmian <command> --help\` for a command's options.
`;
}

/** Runs the CLI with the given arguments and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  const interrupt = new AbortController();
  const onSignal = () => {
    if (interrupt.signal.aborted) return;
    interrupt.abort();
    setTimeout(() => process.exit(INTERRUPTED), CLEANUP_GRACE_MS).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`, `Commands: ${Object.keys(COMMANDS).join(', ')}. See \`banmian --help\`.`);
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`Usage: ${command.usage}\n\n${command.summary}\n`);
      return 0;
    }
    return await command.run(rest, interrupt.signal);
  } catch (error) {
    if (error instanceof UserError) {
      log.error(error.format());
      return error.exitCode;
    }
    if (interrupt.signal.aborted) {
      log.error('interrupted: nothing was written, the previous outputs are unchanged');
      return INTERRUPTED;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

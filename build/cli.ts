// The CLI: picks the subcommand, runs it, and is the one place that prints user errors and sets the exit code.
import { readFileSync } from 'node:fs';
import { UsageError, UserError } from './errors.ts';
import { log } from './log.ts';
import type { Command } from './commands/command.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** Exit code of a run stopped by a signal (128 + SIGINT). */
const INTERRUPTED = 130;
/** Once interrupted, cleanup gets this long before the process exits regardless. */
const CLEANUP_GRACE_MS = 10_000;

/** Each command's module is loaded only when it runs (or for the help), so a run loads no more than it uses. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  build: async () => (await import('./commands/build.ts')).buildCommand,
  preview: async () => (await import('./commands/preview.ts')).previewCommand,
  check: async () => (await import('./commands/check.ts')).checkCommand,
  import: async () => (await import('./commands/import.ts')).importCommand,
};

async function help(): Promise<string> {
  const commands = await Promise.all(Object.entries(COMMANDS).map(async ([name, load]) => [name, await load()] as const));
  const rows = commands.map(([name, command]) => `  ${name.padEnd(9)}${command.summary}`);
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
    process.stdout.write(await help());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const interrupt = new AbortController();
  const onSignal = () => {
    if (interrupt.signal.aborted) return;
    interrupt.abort();
    setTimeout(() => process.exit(INTERRUPTED), CLEANUP_GRACE_MS).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    if (!Object.hasOwn(COMMANDS, name)) throw new UsageError(`unknown command "${name}"`, `Commands: ${Object.keys(COMMANDS).join(', ')}. See \`banmian --help\`.`);
    const command = await COMMANDS[name]();
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

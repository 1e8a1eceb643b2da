// `banmian import <file.md> [--into manuscript]`: argv → options, the import, and its progress on a terminal.
// Import is the one command that reaches the network; builds stay offline.
import { performance } from 'node:perf_hooks';
import { UsageError } from '../errors.ts';
import { log } from '../log.ts';
import { formatBytes } from '../import/download.ts';
import { importArticle } from '../import/import.ts';
import { parseCommandArgs } from './args.ts';
import type { Command } from './command.ts';

const USAGE = 'banmian import <file.md> [--into manuscript] [--timeout 30] [--max-size 50]';

export const importCommand: Command = {
  summary: 'turn a Markdown file into an article folder, downloading its remote images',
  usage: USAGE,
  async run(argv, signal) {
    const { values, positionals } = parseCommandArgs(argv, {
      into: { type: 'string', default: 'manuscript' },
      timeout: { type: 'string', default: '30' },
      'max-size': { type: 'string', default: '50' },
    }, USAGE);
    if (positionals.length !== 1) throw new UsageError(positionals.length ? 'import takes one file at a time' : 'no file given', `Usage: ${USAGE}`);
    const timeout = Number(values.timeout);
    if (!(timeout > 0)) throw new UsageError(`invalid --timeout "${values.timeout}"`, 'Give the longest one image may take, in seconds, e.g. --timeout 30.');
    const maxSize = Number(values['max-size']);
    if (!(maxSize > 0)) throw new UsageError(`invalid --max-size "${values['max-size']}"`, 'Give the largest image accepted, in megabytes, e.g. --max-size 50.');
    const start = performance.now();
    // On a terminal, one line rewritten as each image arrives; it is cleared if the import stops half-way.
    let shown = false;
    const progress = process.stderr.isTTY
      ? (done: number, total: number, url: string) => {
        shown = done < total;
        process.stderr.write(`\r\x1b[2K${log.dim(`${done}/${total}`)} ${url.slice(0, (process.stderr.columns || 80) - 12)}${shown ? '' : '\n'}`);
      }
      : undefined;
    const result = await importArticle({
      file: positionals[0],
      into: values.into as string,
      timeoutMs: timeout * 1000,
      maxBytes: maxSize * 1e6,
      signal,
      onProgress: progress,
    }).finally(() => shown && process.stderr.write('\r\x1b[2K'));
    const seconds = ((performance.now() - start) / 1000).toFixed(2);
    log.info(`imported ${result.file}: ${result.images} image${result.images === 1 ? '' : 's'}, ${formatBytes(result.bytes)} ${log.dim(`${seconds} s`)}`);
    return 0;
  },
};

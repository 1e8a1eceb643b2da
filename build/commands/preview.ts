// `banmian preview [dir] [--port N]`: argv → PreviewOptions, then serve until Ctrl-C (SIGINT) or SIGTERM.
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { log } from '../log.ts';
import { findArticles } from '../model/load.ts';
import { startPreview } from '../preview/server.ts';
import { parseCommandArgs, parsePreset, presetOption } from './args.ts';
import type { Command } from './command.ts';

const USAGE = 'banmian preview [dir] [--port N] [--preset broadsheet|tabloid|a4]';
export const DEFAULT_PORT = 4310;

export const previewCommand: Command = {
  summary: 'serve a live proofreading preview on 127.0.0.1',
  usage: USAGE,
  async run(argv, signal) {
    const { values, positionals } = parseCommandArgs(argv, {
      port: { type: 'string', default: String(DEFAULT_PORT) },
      preset: presetOption,
    }, USAGE);
    if (positionals.length > 1) throw new UsageError('the preview shows one article at a time', `Usage: ${USAGE}`);
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port as string) || port > 65535) throw new UsageError(`invalid --port "${values.port}"`, 'Give a port number from 1 to 65535, or 0 for any free port.');
    const preset = parsePreset(values.preset as string);
    const articles = await findArticles([positionals[0] ?? 'manuscript']);
    if (articles.length > 1) {
      const names = articles.map((article) => path.relative(process.cwd(), article.path));
      throw new UsageError(`${positionals[0] ?? 'manuscript'} holds ${articles.length} articles`, `Name one: ${names.map((name) => `banmian preview ${name}`).join(', ')}.`);
    }
    const [article] = articles;
    const preview = await startPreview({ dir: article.path, port, preset });
    log.info(`preview of ${path.relative(process.cwd(), article.path)} at ${preview.url} (Ctrl-C to stop)`);
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    await preview.close();
    log.info('preview stopped');
    return 0;
  },
};

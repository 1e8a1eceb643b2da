// `banmian build`: loads every article, then writes each requested format into the output folder.
import path from 'node:path';
import { buildEpub } from '../epub/build.ts';
import { UsageError } from '../errors.ts';
import { timed } from '../log.ts';
import { loadArticle, findArticles, type Article } from '../manuscript/load.ts';
import { writeHtml } from '../output/html.ts';
import type { PresetName } from '../print/presets.ts';

export const FORMATS = ['pdf', 'epub', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export interface BuildOptions {
  /** Article folders, or folders of them. */
  inputs: string[];
  formats: Format[];
  outDir: string;
  preset: PresetName;
  cropMarks: boolean;
  /** Bleed in millimetres; 0 for none. */
  bleed: number;
  browserEndpoint?: string;
  signal?: AbortSignal;
}

type Writer = (article: Article, options: BuildOptions) => Promise<string>;

const WRITERS: Record<Format, Writer> = {
  html: (article, options) => writeHtml({ article, outDir: options.outDir }),
  pdf: notBuiltYet('pdf'),
  epub: (article, options) => buildEpub({ article, outDir: options.outDir, signal: options.signal }),
};

function notBuiltYet(format: Format): Writer {
  return async () => {
    throw new UsageError(`the ${format} format is not built yet`, 'Use `--format html` for now.');
  };
}

/** Builds every article under `inputs`; resolves to the files written. */
export async function build(options: BuildOptions): Promise<string[]> {
  const dirs = await findArticles(options.inputs);
  // Load (and so validate) every article before writing anything.
  const articles: Article[] = [];
  for (const dir of dirs) articles.push(await timed(`parse ${path.relative(process.cwd(), dir) || dir}`, () => loadArticle(dir)));
  const written: string[] = [];
  for (const article of articles) {
    for (const format of options.formats) {
      options.signal?.throwIfAborted();
      const file = await timed(`${format.padEnd(4)} ${article.slug}`, () => WRITERS[format](article, options));
      written.push(file);
    }
  }
  return written;
}

// `banmian build`: loads every article, then writes each requested format into the output folder.
import path from 'node:path';
import { buildEpub } from '../epub/build.ts';
import { timed } from '../log.ts';
import { loadArticle, findArticles, type Article } from '../manuscript/load.ts';
import { writeHtml } from '../output/html.ts';
import { openBrowser, type BrowserSession } from '../print/browser.ts';
import { buildPdf } from '../print/pdf.ts';
import { PRESETS, type PresetName } from '../print/presets.ts';

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
  /** Milliseconds a render may take before it is stopped. */
  timeout?: number;
  signal?: AbortSignal;
}

interface BuildContext extends BuildOptions {
  /** The one browser of this build, started on first use. */
  browser(): Promise<BrowserSession>;
}

type Writer = (article: Article, context: BuildContext) => Promise<string>;

const WRITERS: Record<Format, Writer> = {
  html: (article, { outDir }) => writeHtml({ article, outDir }),
  pdf: async (article, context) => buildPdf({
    article,
    preset: PRESETS[context.preset],
    cropMarks: context.cropMarks,
    bleed: context.bleed,
    outDir: context.outDir,
    browser: (await context.browser()).browser,
    timeout: context.timeout,
  }),
  epub: (article, options) => buildEpub({ article, outDir: options.outDir, signal: options.signal }),
};

/** Builds every article under `inputs`; resolves to the files written. */
export async function build(options: BuildOptions): Promise<string[]> {
  const dirs = await findArticles(options.inputs);
  // Load (and so validate) every article before writing anything.
  const articles: Article[] = [];
  for (const dir of dirs) articles.push(await timed(`parse ${path.relative(process.cwd(), dir) || dir}`, () => loadArticle(dir)));
  let session: Promise<BrowserSession> | undefined;
  const context: BuildContext = {
    ...options,
    browser: () => (session ??= timed('browser', () => openBrowser({ endpoint: options.browserEndpoint, signal: options.signal }))),
  };
  const written: string[] = [];
  try {
    for (const article of articles) {
      for (const format of options.formats) {
        options.signal?.throwIfAborted();
        written.push(await timed(`${format.padEnd(4)} ${article.slug}`, () => WRITERS[format](article, context)));
      }
    }
  } finally {
    await session?.then((opened) => opened.release(), () => undefined);
  }
  return written;
}

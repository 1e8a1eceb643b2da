// `banmian build`: loads every article, then writes each requested format into the output folder.
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { log, timed } from '../log.ts';
import { inPool } from '../pool.ts';
import { formatDiagnostic, raiseErrors, type Diagnostic } from '../model/diagnostics.ts';
import { readArticle, findArticles, type Article } from '../model/load.ts';
import type { BrowserSession } from '../print/browser.ts';
import { readPageMap, type PageMap } from '../print/page-map.ts';
import type { FitResult } from '../print/pdf.ts';
import type { PressOptions } from '../print/pdfx.ts';
import { PRESETS, type PresetName } from '../print/presets.ts';

export const FORMATS = ['pdf', 'epub', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export interface BuildOptions {
  /** Markdown files, article folders, or folders of them. */
  inputs: string[];
  formats: Format[];
  outDir: string;
  preset: PresetName;
  cropMarks: boolean;
  /** Bleed in millimetres; 0 for none. */
  bleed: number;
  browserEndpoint?: string;
  /** Write the PDF for the press (PDF/X, CMYK) instead of the proof; it draws its own crop marks. */
  press?: Omit<PressOptions, 'signal'>;
  /** Milliseconds a render may take before it is stopped. */
  timeout?: number;
  /** Copyfit each article with a `pages` target: photos sized toward it, what is still over or under reported. */
  fit?: boolean;
  /** Articles built at once, each in its own page of the one browser; default: one per core. */
  jobs?: number;
  signal?: AbortSignal;
}

interface BuildContext extends BuildOptions {
  /** The one browser of this build, started on first use. */
  browser(): Promise<BrowserSession>;
  /** Each article's printed pages, from the PDF stage of this run (its formats are written at once). */
  pageMaps: Map<Article, Promise<PageMap>>;
}

type Writer = (article: Article, context: BuildContext) => Promise<string>;

/** Each writer loads its format's modules (and their heavy dependencies) on first use. */
const WRITERS: Record<Format, Writer> = {
  html: async (article, context) => (await import('../output/html.ts')).writeHtml({
    article,
    preset: PRESETS[context.preset],
    cropMarks: context.cropMarks,
    bleed: context.bleed,
    outDir: context.outDir,
  }),
  pdf: (article, context) => {
    const target = article.frontMatter.pages;
    if (context.fit && !target) log.warn(`${article.slug}: --fit needs a \`pages\` target in the front matter; built without copyfit`);
    const built = (async () => (await import('../print/pdf.ts')).buildPdf({
      article,
      preset: PRESETS[context.preset],
      cropMarks: context.cropMarks && !context.press,
      bleed: context.bleed,
      fit: context.fit ? target : undefined,
      outDir: context.outDir,
      browser: (await context.browser()).browser,
      timeout: context.timeout,
      press: context.press && { ...context.press, signal: context.signal },
    }))();
    const pageMap = built.then((pdf) => pdf.pageMap);
    // The EPUB, when asked for, reports the failure; without it, nobody waits for this promise.
    pageMap.catch(() => undefined);
    context.pageMaps.set(article, pageMap);
    return built.then(async (pdf) => {
      if (pdf.fitted && target) await reportFit(article, target, pdf.fitted);
      return pdf.file;
    });
  },
  // Started with the PDF: its photos and cover are made while the pages are laid out, the page map awaited after.
  epub: async (article, context) => {
    const pageMap = printedPages(article, context);
    try {
      return await (await import('../epub/build.ts')).buildEpub({ article, outDir: context.outDir, pageMap, signal: context.signal });
    } finally {
      // An EPUB that fails early (a bad SOURCE_DATE_EPOCH) still lets its pagination end before the browser is released.
      await pageMap.catch(() => undefined);
    }
  },
};

/** The copyfit of `--fit`: the pages the PDF has against the target, how the photos were sized, and what is left over or under. */
async function reportFit(article: Article, target: number, { photos, measure }: FitResult): Promise<void> {
  const { copyfit } = await import('../check/rules/copyfit.ts');
  const sized = photos.columns || photos.scale !== 1
    ? `photos ${photos.columns ? `${Math.abs(photos.columns)} column${Math.abs(photos.columns) > 1 ? 's' : ''} ${photos.columns < 0 ? 'narrower' : 'wider'}` : 'as wide'}, ${Math.round(photos.scale * 100)} % tall`
    : 'photos as placed';
  const rest = copyfit(measure, target);
  const count = measure.pages.length;
  const line = `${article.slug}: fit: ${count} page${count > 1 ? 's' : ''} for the target of ${target} (${sized})${rest ? `; ${rest.message}` : ''}`;
  if (rest?.severity === 'error') log.warn(line);
  else log.info(line);
}

/**
 * The page map of the printed edition: the PDF stage's when it runs (writers start in FORMATS order, pdf first),
 * else the same pagination in the same browser without printing, so an EPUB's page-list always names the
 * pages the PDF of this text would have.
 */
function printedPages(article: Article, context: BuildContext): Promise<PageMap> {
  return context.pageMaps.get(article) ?? paginatedPages(article, context);
}

async function paginatedPages(article: Article, context: BuildContext): Promise<PageMap> {
  const browser = (await context.browser()).browser;
  const { paginate } = await import('../print/pdf.ts');
  const fit = context.fit ? article.frontMatter.pages : undefined;
  const pagination = await paginate({ article, preset: PRESETS[context.preset], cropMarks: context.cropMarks, bleed: context.bleed, fit, browser, timeout: context.timeout ?? 120_000 });
  try {
    return await pagination.page.evaluate(readPageMap);
  } finally {
    await pagination.close();
  }
}

/**
 * Builds every article under `inputs`; resolves to the files written. All or nothing: outputs are
 * written to a staging folder inside `outDir` and moved into place only when every one succeeded, so a
 * failed or interrupted build leaves the previous outputs exactly as they were.
 */
export async function build(options: BuildOptions): Promise<string[]> {
  const sources = await findArticles(options.inputs);
  // Read (and so validate) every article before anything is written or a browser starts; every problem of
  // every article is reported at once.
  const articles: Article[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const source of sources) {
    const loaded = await timed(`parse ${path.relative(process.cwd(), source.path)}`, () => readArticle(source));
    articles.push(loaded.article);
    diagnostics.push(...loaded.diagnostics);
  }
  const sound = !diagnostics.some((diagnostic) => diagnostic.severity === 'error');
  let session: Promise<BrowserSession> | undefined;
  const browser = () => (session ??= timed('browser', async () => (await import('../print/browser.ts')).openBrowser({ endpoint: options.browserEndpoint, signal: options.signal })));
  // Chromium starts (chromium.ts) and puppeteer loads and connects to it while the glyphs are checked; a mistake
  // found there closes it again. puppeteer first: the glyph check's modules would hold up its start.
  if (sound && options.formats.some((format) => format !== 'html')) {
    browser().catch(() => undefined);
    await (await import('../print/browser.ts')).loadPuppeteer();
  }
  let staging: string | undefined;
  try {
    // Glyphs are checked once the manuscripts are sound, so a plain mistake is reported without reading a font.
    if (sound) {
      const [{ loadCoverage }, { missingGlyphs }] = await Promise.all([import('../check/fonts.ts'), import('../check/rules/font-fallback.ts')]);
      const coverage = await loadCoverage();
      for (const article of articles) diagnostics.push(...missingGlyphs(article, coverage));
    }
    for (const warning of diagnostics.filter((diagnostic) => diagnostic.severity === 'warning')) log.warn(formatDiagnostic(warning));
    raiseErrors(diagnostics);
    await mkdir(options.outDir, { recursive: true });
    staging = await mkdtemp(path.join(options.outDir, '.staging-'));
    const context: BuildContext = { ...options, outDir: staging, browser, pageMaps: new Map() };
    await inPool(articles, options.jobs ?? availableParallelism(), async (article) => {
      options.signal?.throwIfAborted();
      // An article's formats are written at once; each is finished (its files closed) before a failure is thrown.
      const written = await Promise.allSettled(FORMATS.filter((known) => options.formats.includes(known))
        .map((format) => timed(`${format.padEnd(4)} ${article.slug}`, () => WRITERS[format](article, context))));
      const failed = written.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    });
    options.signal?.throwIfAborted();
    return await publish(staging, options.outDir);
  } finally {
    await session?.then((opened) => opened.release(), () => undefined);
    if (staging) await rm(staging, { recursive: true, force: true });
  }
}

/** Moves each staged output over its previous version; each move is one rename. */
async function publish(staging: string, outDir: string): Promise<string[]> {
  const published: string[] = [];
  for (const name of (await readdir(staging)).sort()) {
    const target = path.join(outDir, name);
    await rm(target, { recursive: true, force: true });
    await rename(path.join(staging, name), target);
    if (!name.endsWith('_files')) published.push(target);
  }
  return published;
}

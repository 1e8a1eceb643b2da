// The PDF stage: Paged.js (through pagedjs-cli's Printer) paginates the print document in Chromium,
// Chromium prints it, and the result is finished for the printer (metadata, outline, boxes).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Printer from 'pagedjs-cli';
import type { Browser, Page } from 'puppeteer';
import { UserError } from '../errors.ts';
import type { Article } from '../model/load.ts';
import { writeFileAtomic } from '../output/write.ts';
import { FONT_FACES } from './fonts.ts';
import { PAGED_HANDLERS, PROJECT_ROOT, renderPrintDocument } from './document.ts';
import { verifyNothingLost } from './no-loss.ts';
import { readPageMap, type PageMap } from './page-map.ts';
import { finishPdf, finishPressPdf, type HeadingPlace } from './pdf-finish.ts';
import { separateForPress, type PressOptions } from './pdfx.ts';
import type { Preset } from './presets.ts';

export interface PaginateOptions {
  article: Article;
  preset: Preset;
  cropMarks: boolean;
  bleed: number;
  browser: Browser;
  /** Milliseconds before the render is given up. */
  timeout: number;
}

export interface Pagination {
  page: Page;
  /** Releases the page and the temporary document. */
  close(): Promise<void>;
}

/**
 * Lays the article out with Paged.js in `browser`; the caller prints or measures the page, then closes it.
 * Only files of the project, the article and the declared fonts can be loaded: every other request is refused.
 */
export async function paginate({ article, preset, cropMarks, bleed, browser, timeout }: PaginateOptions): Promise<Pagination> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'banmian-print-'));
  const htmlFile = path.join(workDir, `${article.slug}.html`);
  await writeFile(htmlFile, renderPrintDocument({ article, preset, cropMarks, bleed, assetUrl: (file) => pathToFileURL(file).href }));
  const printer = new Printer({
    allowLocal: true,
    allowRemote: false,
    allowedPaths: [workDir, PROJECT_ROOT, article.dir, ...new Set(FONT_FACES.map((face) => path.dirname(face.file)))],
    additionalScripts: PAGED_HANDLERS,
    timeout,
    closeAfter: false,
  });
  // The Printer would launch a browser of its own; it renders in ours (local or remote) instead.
  printer.browser = withPromptNetworkIdle(browser);
  const close = () => rm(workDir, { recursive: true, force: true });
  try {
    const page = await withTimeout(printer.render(htmlFile), timeout, article.file);
    return { page, close: async () => { await page.close().catch(() => undefined); await close(); } };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface BuildPdfOptions extends Omit<PaginateOptions, 'timeout'> {
  outDir: string;
  timeout?: number;
  /** Write a press PDF (PDF/X) instead of the proof. */
  press?: PressOptions;
}

export interface BuiltPdf {
  file: string;
  /** Where each printed page starts in the manuscript (the EPUB's page-list). */
  pageMap: PageMap;
}

/** Writes dist/<slug>.pdf atomically and resolves to its path and page map. */
export async function buildPdf(options: BuildPdfOptions): Promise<BuiltPdf> {
  const { article, preset, outDir } = options;
  const pagination = await paginate({ ...options, timeout: options.timeout ?? 120_000 });
  try {
    const { page } = pagination;
    await verifyNothingLost(page, article);
    const headings = await page.evaluate(headingPlaces);
    const pageMap = await page.evaluate(readPageMap);
    const printed = await page.pdf({ printBackground: true, preferCSSPageSize: true, margin: { top: 0, right: 0, bottom: 0, left: 0 }, timeout: options.timeout ?? 120_000 });
    const proof = await finishPdf(printed, { article, preset, bleed: options.bleed, headings });
    const { press } = options;
    const pdf = press
      ? await finishPressPdf(await separateForPress(proof, press), { ...press, article, preset, bleed: options.bleed })
      : proof;
    const target = path.join(outDir, `${article.slug}.pdf`);
    await writeFileAtomic(target, pdf);
    return { file: target, pageMap };
  } finally {
    await pagination.close();
  }
}

/** Runs in the page: where each headline and section head landed, in CSS pixels from its page's top. */
function headingPlaces(): HeadingPlace[] {
  const pages = [...document.querySelectorAll('.pagedjs_page')];
  return [...document.querySelectorAll('.pagedjs_pages h1.title, .pagedjs_pages .section h2')].map((heading) => {
    const page = heading.closest('.pagedjs_page')!;
    return {
      level: heading.tagName === 'H1' ? 1 : 2,
      title: (heading as HTMLElement).innerText.trim(),
      pageIndex: pages.indexOf(page),
      top: heading.getBoundingClientRect().top - page.getBoundingClientRect().top,
    };
  });
}

/**
 * The Printer ends by waiting for 500 ms without network traffic, though Paged.js has by then loaded
 * every font and image it laid out. Its pages here report idle as soon as no request is in flight.
 */
function withPromptNetworkIdle(browser: Browser): Browser {
  return new Proxy(browser, {
    get(target, property) {
      if (property === 'newPage') {
        return async () => {
          const page = await target.newPage();
          const waitForNetworkIdle = page.waitForNetworkIdle.bind(page);
          page.waitForNetworkIdle = (options = {}) => waitForNetworkIdle({ ...options, idleTime: 0 });
          return page;
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function withTimeout<T>(work: Promise<T>, ms: number, file: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UserError(`rendering took longer than ${ms / 1000} s and was stopped`, {
      file,
      hint: 'Look for a very large image or an extremely long paragraph; raise --timeout if the article is genuinely long.',
    })), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// The PDF stage: Paged.js paginates the print document in Chromium, Chromium prints it, and the result is
// finished for the printer (metadata, outline, boxes). Paged.js is driven directly: the document carries its
// scripts, starts paginating once parsed, and the stage waits for that one promise — no network-idle waits,
// no print-media emulation before pagination, and pages (with their loaded fonts) reused between renders.
import path from 'node:path';
import type { PDFDocument } from 'pdf-lib';
import type { Browser, Page } from 'puppeteer';
import { UserError } from '../errors.ts';
import { log } from '../log.ts';
import type { Article } from '../model/load.ts';
import { writeFileAtomic } from '../output/write.ts';
import { borrowPage, closePage, isLocal, returnPage, whileConnected } from './browser.ts';
import { PAGED_HANDLERS, PAGED_POLYFILL, PROJECT_ROOT, renderPrintDocument } from './document.ts';
import { cutFaces, type FaceCut } from './font-cuts.ts';
import type { FontFace } from './fonts.ts';
import { verifyNothingLost } from './no-loss.ts';
import { readPageMap, type PageMap } from './page-map.ts';
import { measurePages, type CopyfitMeasure } from './page-measure.ts';
import type { HeadingPlace } from './pdf-finish.ts';
import type { PressOptions, PressRun } from './pdfx.ts';
import type { PlannedPhoto } from './press-photos.ts';
import type { Preset } from './presets.ts';
import { interceptRequests, loadDocument, ManifestBuilder, type Manifest } from './serve.ts';
import { exposeVariant, planVariant, VARIANT_META, VARIANT_QUERY, variantPays } from './variant-plan.ts';

export interface PaginateOptions {
  article: Article;
  preset: Preset;
  cropMarks: boolean;
  bleed: number;
  browser: Browser;
  /** Copyfit to this many pages: the layout plan sizes the photos toward it (see plan.js). */
  fit?: number;
  /** Milliseconds before the render is given up. */
  timeout: number;
  /** Called when the make-up plan has sized the photos, before pagination (for the press stage). */
  onPlanned?: (photos: PlannedPhoto[]) => void;
  /**
   * Whether the plan's first variant is planned in a page of its own (variant-plan.ts) or by the print page
   * itself (as the live preview's page and the html format do); by default, when the article is long enough
   * for the second page to pay.
   */
  variantPage?: boolean;
}

export interface Pagination {
  page: Page;
  /** Hands the page back for the next render (borrowPage). */
  close(): Promise<void>;
}

/** Loaded before Paged.js: starts the pagination once the document is parsed and reports its end (see the file). */
const PAGED_START = path.join(PROJECT_ROOT, 'build/print/paged/start.js');
/** Hides the body until Paged.js takes its content, so Chromium never lays out the unpaginated article (removed by start.js). */
const HOLD_STYLE = '<style id="banmian-hold">body { display: none; }</style>';
/** Reports the photos' planned sizes (see the file); loaded only when someone listens. */
const PLANNED_PHOTOS = path.join(PROJECT_ROOT, 'build/print/paged/planned-photos.js');
/** Tells start.js to let Paged.js load every declared face before pagination (see start.js). */
const EVERY_FACE = '<meta name="banmian-faces" content="every">';

/**
 * Lays the article out with Paged.js in `browser`; the caller prints or measures the page, then closes it.
 * Only the document and the files it references can be loaded: every other request is refused.
 */
export async function paginate({ article, preset, cropMarks, bleed, fit, browser, timeout, onPlanned, variantPage }: PaginateOptions): Promise<Pagination> {
  // The faces are cut while the page is made ready; a page made ready for a render that fails here is
  // closed before the error goes on (left behind, it would talk to a closed browser and hold the CLI open).
  // Making it ready can fail while the faces are cut (Ctrl-C closes the browser): that failure is thrown
  // below, and until then nothing may count it as unhandled (Node would end the process with a trace).
  const ready = borrowPage(browser, setUpPrintPage);
  ready.catch(() => undefined);
  let cuts: FaceCut[];
  try {
    cuts = await cutFaces(renderPrintDocument({ article, preset, cropMarks, bleed, assetUrl: (file) => file }));
  } catch (error) {
    await ready.then(closePage, () => undefined);
    throw error;
  }
  const page = await ready;
  try {
    // Ended by the browser's closing too (Ctrl-C releases it): a page's evaluation waits for a document context
    // that a closed browser never reports, and the render's timer would keep the process for its whole timeout.
    await withTimeout(whileConnected(browser, (async () => {
      const { lateFaces, failedFaces } = await loadAndPaginate(page, { article, preset, cropMarks, bleed, fit, browser, onPlanned, cuts, variantPage });
      // Only faces the layout asked for are loaded here: one that failed would print its text in a stand-in.
      if (failedFaces.length) {
        throw new UserError(`the face${failedFaces.length > 1 ? 's' : ''} ${failedFaces.join(', ')} failed to load in Chromium; the PDF would set ${failedFaces.length > 1 ? 'their' : 'its'} text in another face`, {
          file: article.file,
          hint: 'Build again (a cut face can be removed from node_modules/.cache/banmian by another build meanwhile), or run ./scripts/setup.sh to reinstall the fonts.',
        });
      }
      if (!lateFaces.length) return;
      log.info(`${article.slug}: ${lateFaces.join(', ')} first needed during pagination; paginating again with every face loaded`);
      await loadAndPaginate(page, { article, preset, cropMarks, bleed, fit, browser, cuts, everyFace: true, variantPage });
    })()), timeout, article.file);
  } catch (error) {
    await closePage(page);
    throw error;
  }
  return {
    page,
    close: async () => returnPage(browser, page),
  };
}

/** What start.js reports once Paged.js is done. */
interface PaginationResult {
  pages: number;
  /** Faces first asked for during pagination (laid out with a stand-in until they came); none as a rule. */
  lateFaces: string[];
  /** Faces that failed to load (the text set in a stand-in); none as a rule. */
  failedFaces: string[];
}

/** A print page: it loads only what its render's manifest lists, and can ask for the plan's variant. */
async function setUpPrintPage(page: Page): Promise<void> {
  await interceptRequests(page);
  await exposeVariant(page);
}

interface LoadOptions extends Omit<PaginateOptions, 'timeout'> {
  /** The faces the document loads cut to its characters. */
  cuts: FaceCut[];
  /** Load every declared face before pagination (Paged.js's own way), not only those the plan's layout asked for. */
  everyFace?: boolean;
}

/**
 * Loads the print document of the article in `page` and waits for its pagination; meanwhile a second page
 * plans the plan's first variant when the article is long enough for that to pay (variant-plan.ts; not when
 * copyfitting, which tries sizes of its own).
 */
async function loadAndPaginate(page: Page, { article, preset, cropMarks, bleed, fit, browser, cuts, everyFace, onPlanned, variantPage = variantPays(article, preset) }: LoadOptions): Promise<PaginationResult> {
  const local = isLocal(browser);
  const files = new ManifestBuilder(local);
  const handlers = [...PAGED_HANDLERS, ...(onPlanned ? [PLANNED_PHOTOS] : [])];
  const scripts = [PAGED_START, PAGED_POLYFILL, ...handlers].map((file) => `<script src="${files.url(file)}"></script>`).join('\n');
  const apart = !fit && variantPage;
  const head = [HOLD_STYLE, ...(everyFace ? [EVERY_FACE] : []), ...(fit ? [`<meta name="banmian-fit" content="${fit}">`] : []), ...(apart ? [VARIANT_META] : []), scripts].join('\n');
  // A local Chromium reads the cuts from the cache; a remote one is sent them.
  const faceUrl = (face: FontFace) => {
    const cut = cuts.find((each) => each.face === face);
    return cut && (local ? files.url(cut.file) : files.add(cut.name, cut.bytes));
  };
  const html = renderPrintDocument({ article, preset, cropMarks, bleed, assetUrl: files.url, faceUrl, head });
  const manifest = files.build(path.join(article.dir, `${article.slug}.print.html`), html);
  const stopVariant = apart ? planVariant(page, browser, setUpPrintPage, (other) => loadDocument(other, { ...manifest, documentUrl: manifest.documentUrl + VARIANT_QUERY })) : undefined;
  try {
    return await paginateLoaded(page, manifest, onPlanned);
  } finally {
    // Not waited for: a planning page still at work is closed while the PDF stage goes on.
    void stopVariant?.();
  }
}

/** Loads `manifest`'s document in `page` and waits for its pagination, reporting the planned photos to `onPlanned`. */
async function paginateLoaded(page: Page, manifest: Manifest, onPlanned: PaginateOptions['onPlanned']): Promise<PaginationResult> {
  await loadDocument(page, manifest);
  if (onPlanned) {
    // Answered while Paged.js paginates; a page that paginates again (late faces) reports again.
    page.evaluate(() => (window as unknown as { banmianPlannedPhotos: Promise<{ src: string; width: number; height: number }[]> }).banmianPlannedPhotos)
      .then((photos) => onPlanned(photos.flatMap(({ src, width, height }) => {
        const file = manifest.files.get(src);
        return file ? [{ file, width, height }] : [];
      })))
      .catch(() => undefined);
  }
  return page.evaluate(() => (window as unknown as { banmianPagination: Promise<PaginationResult> }).banmianPagination);
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
  /** With `fit`: how the photos were sized, and the pages as laid out, to report what is over or under. */
  fitted?: FitResult;
}

export interface FitResult {
  /** Columns added to each photo's own (negative: narrower), and the scale of their heights. */
  photos: { columns: number; scale: number };
  measure: CopyfitMeasure;
}

/** Writes dist/<slug>.pdf atomically and resolves to its path and page map. */
export async function buildPdf(options: BuildPdfOptions): Promise<BuiltPdf> {
  // The finishing (pdf-lib, ~0.1 s to load) loads while Chromium lays the pages out; the press stage is needed at once.
  const finishing = import('./pdf-finish.ts');
  finishing.catch(() => undefined);
  const press = options.press && (await import('./pdfx.ts')).openPress(options.press);
  try {
    return await printPdf(options, press, finishing);
  } finally {
    await press?.close();
  }
}

async function printPdf(options: BuildPdfOptions, press: PressRun | undefined, finishing: Promise<typeof import('./pdf-finish.ts')>): Promise<BuiltPdf> {
  const { article, preset, outDir } = options;
  const timeout = options.timeout ?? 120_000;
  const { page, close } = await paginate({ ...options, timeout, onPlanned: press?.planned });
  let printed: Uint8Array;
  let headings: HeadingPlace[];
  let pageMap: PageMap;
  let fitted: FitResult | undefined;
  try {
    // Asked all at once: each is a round trip to the page.
    let free: string | undefined;
    [, headings, pageMap, free] = await Promise.all([
      verifyNothingLost(page, article),
      page.evaluate(headingPlaces),
      page.evaluate(readPageMap),
      page.evaluate(() => document.documentElement.dataset.copyfitFree),
    ]);
    if (free) log.info(`${article.slug}: free: ${free} on the last page`);
    if (options.fit) {
      const photos = JSON.parse(await page.evaluate(() => document.documentElement.dataset.fitPhotos ?? '{"columns":0,"scale":1}')) as FitResult['photos'];
      fitted = { photos, measure: { ...await page.evaluate(measurePages), pageMap } };
    }
    printed = await page.pdf({ printBackground: true, preferCSSPageSize: true, margin: { top: 0, right: 0, bottom: 0, left: 0 }, timeout });
  } catch (error) {
    await closePage(page);
    throw error;
  }
  await close();
  const { finishPdf, finishPressPdf } = await finishing;
  const finishProof = (edit?: (pdf: PDFDocument) => Promise<void>) => finishPdf(printed, { article, preset, bleed: options.bleed, headings }, edit);
  const separated = press && await press.separate(printed, finishProof);
  const pdf = separated && options.press
    ? await finishPressPdf(separated.pdf, { ...options.press, article, preset, bleed: options.bleed }, separated.restore)
    : await finishProof();
  const target = path.join(outDir, `${article.slug}.pdf`);
  await writeFileAtomic(target, pdf);
  return { file: target, pageMap, fitted };
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

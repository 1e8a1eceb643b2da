// The make-up plan's first variant (plan.js), planned in a second page while the print page makes the first
// plan, so that the two plans run on two cores at once. A plan with flaws is made again with the photos a
// column narrower (plan.js, VARIANTS[0]); made one after the other, the two plans were most of a long
// article's PDF stage. The second page loads the same document at its URL with ?banmian-variant and only
// plans; the print page asks for that plan (banmianVariantPlan) only when its own first plan has flaws (and
// else says it is not needed, which stops the second page), and adopts it when it is better: the plan it
// would have made itself from the same document, fonts and measure.
import type { Browser, Page } from 'puppeteer';
import type { Article } from '../model/load.ts';
import { borrowPage, closePage, returnPage } from './browser.ts';
import { grid, type Preset } from './presets.ts';
import { serveText } from './serve.ts';

/** The variant as the planning page makes it (plan.js, planVariant). */
export interface VariantPlan {
  html: string;
  pages: number;
  flaws: number;
  crops: number;
  columns: number;
  scale: number;
  pageChars: number[];
  /** The faces the planning page's layout used (family, weight, style), for the print page to load. */
  faces: string[];
}

/** The variant as the print page is given it: its HTML to be read at `htmlUrl` (serve.ts, serveText). */
export type OfferedVariant = Omit<VariantPlan, 'html'> & { htmlUrl: string };

/** Tells the print page that a page of its own plans the variant (read by plan.js). */
export const VARIANT_META = '<meta name="banmian-variant" content="apart">';

/**
 * Tells the planning page to plan the variant, not paginate (read by plan.js). A query, not a fragment: a page
 * going from the document's URL to it with a fragment would only scroll, not load it again.
 */
export const VARIANT_QUERY = '?banmian-variant';

/**
 * Pages of body text from which the second page pays. Its document loads and its article is prepared again
 * beside the print page's; on two cores, with the browser and this process at work too, that costs a short
 * article more than the variant's plan it saves. Measured (median of 4, interleaved), apart / in the print
 * page: 2 pages of text (6 printed) 1.04 / 0.95 s, 4 (11 printed) 1.53 / 1.60 s, 8 (21 printed) 2.87 / 3.35 s.
 */
const VARIANT_PAGES = 3;

/** Whether `article` has enough text for its variant to be planned in a page of its own. */
export function variantPays(article: Article, preset: Preset): boolean {
  const { columns, lines, columnChars } = grid(preset);
  const chars = article.text.reduce((sum, block) => sum + block.printedText.length, 0);
  return chars > VARIANT_PAGES * columns * lines * columnChars;
}

/** The variant being planned for each print page: what its banmianVariantPlan answers, and how to stop it. */
const planning = new WeakMap<Page, { plan: Promise<VariantPlan | null>; stop: () => Promise<void> }>();

/**
 * Lets a print page ask for its variant, or say it is not needed (then the planning page stops at once);
 * once per page, the binding stays through every document it loads.
 */
export async function exposeVariant(page: Page): Promise<void> {
  let offered = 0;
  await page.exposeFunction('banmianVariantPlan', async (wanted: boolean): Promise<OfferedVariant | null> => {
    const variant = planning.get(page);
    if (!wanted) void variant?.stop();
    const plan = wanted ? await variant?.plan : null;
    if (!plan) return null;
    const { html, ...rest } = plan;
    return { ...rest, htmlUrl: serveText(page, `variant-plan-${++offered}.html`, html) };
  });
}

/**
 * Has the variant planned for `printPage` in a page borrowed from `browser` (set up by `setUp`), which
 * `load` loads the document in (at its URL with VARIANT_QUERY). Returns the function to call once the print
 * page has paginated (or failed): a planning page still at work is closed (its renderer would plan on for
 * nothing), a finished one goes back to the pool. A variant that failed — the page crashed or closed, the
 * plan threw — is answered with null: the print page plans it itself.
 */
export function planVariant(printPage: Page, browser: Browser, setUp: (page: Page) => Promise<void>, load: (page: Page) => Promise<void>): () => Promise<void> {
  let stopped = false;
  let done = false;
  const borrowed = borrowPage(browser, setUp);
  const plan = (async () => {
    const page = await borrowed;
    if (stopped) return null;
    // A renderer that crashes leaves puppeteer's evaluation waiting for its protocol timeout.
    let fail: (error: Error) => void = () => {};
    const gone = new Promise<never>((_, reject) => {
      fail = reject;
    });
    const closed = () => fail(new Error('the planning page closed'));
    page.on('error', fail).on('close', closed);
    try {
      await Promise.race([load(page), gone]);
      if (stopped) return null;
      return await Promise.race([page.evaluate(() => (window as unknown as { banmianVariant: Promise<VariantPlan> }).banmianVariant), gone]);
    } finally {
      page.off('error', fail).off('close', closed);
    }
  })().catch(() => null).finally(() => {
    done = true;
  });
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= (async () => {
    stopped = true;
    planning.delete(printPage);
    const page = await borrowed.catch(() => undefined);
    if (!page) return;
    if (done && (await plan)) returnPage(browser, page);
    else await closePage(page);
  })());
  planning.set(printPage, { plan, stop });
  return stop;
}

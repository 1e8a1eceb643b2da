// Copyfit measurement: paginates the article with the print stage's Paged.js layout in a Chromium it is given
// (the check's, or the preview's warm one) and measures, page by page, the column space that is filled, in body
// lines (print/page-measure.ts, which the build's `--fit` report uses too), and where each page starts.
import type { Browser } from 'puppeteer';
import type { Article } from '../model/load.ts';
import { readPageMap } from '../print/page-map.ts';
import { measureLooseLines, measurePages, type CopyfitMeasure, type LooseLine } from '../print/page-measure.ts';
import { paginate } from '../print/pdf.ts';
import type { Preset } from '../print/presets.ts';

export type { CopyfitMeasure, LooseLine, PageMeasure } from '../print/page-measure.ts';

export interface MeasureCopyfitOptions {
  article: Article;
  preset: Preset;
  /** The Chromium to paginate in; left open. */
  browser: Browser;
  /** Milliseconds before the render is given up. */
  timeout?: number;
}

/**
 * Lays the article out exactly as the PDF is laid out and measures every page, and the loose lines an
 * unbreakable Latin run left.
 *
 * @example
 * const { pages } = await measureCopyfit({ article, preset: PRESETS.broadsheet, browser });
 * pages.length; // 2
 */
export async function measureCopyfit({ article, preset, browser, timeout = 120_000 }: MeasureCopyfitOptions): Promise<CopyfitMeasure & { loose: LooseLine[] }> {
  const pagination = await paginate({ article, preset, cropMarks: false, bleed: 0, browser, timeout });
  try {
    const [measure, pageMap, loose] = await Promise.all([pagination.page.evaluate(measurePages), pagination.page.evaluate(readPageMap), pagination.page.evaluate(measureLooseLines)]);
    return { ...measure, pageMap, loose };
  } finally {
    await pagination.close();
  }
}

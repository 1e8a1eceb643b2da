// Pictures of the pages for the preview's thumbnails strip: the article paginated as the PDF is, in the preview's
// Chromium, each page photographed small. Made after the check, so they never hold up the repaint or the findings.
import type { Browser } from 'puppeteer';
import type { Article } from '../model/load.ts';
import { hidePage } from '../print/browser.ts';
import { paginate } from '../print/pdf.ts';
import type { Preset } from '../print/presets.ts';

/** Width of a thumbnail in pixels (the strip shows it at about half that, sharp on a high-density screen). */
const WIDTH = 200;

export interface PageThumbnailsOptions {
  article: Article;
  preset: Preset;
  browser: Browser;
  /** Stops between pages when a newer version makes these pictures useless. */
  signal?: AbortSignal;
}

/**
 * One JPEG per printed page, in order; empty when aborted.
 *
 * @example
 * const pictures = await pageThumbnails({ article, preset: PRESETS.broadsheet, browser });
 * pictures.length; // 2
 */
export async function pageThumbnails({ article, preset, browser, signal }: PageThumbnailsOptions): Promise<Buffer[]> {
  const pagination = await paginate({ article, preset, cropMarks: false, bleed: 0, browser, timeout: 120_000 });
  try {
    const { page } = pagination;
    // Lent hidden (borrowPage): a screenshot needs the page shown.
    await hidePage(page, false);
    const boxes = await page.$$eval('.pagedjs_page', (pages) => pages.map((element) => {
      const box = element.getBoundingClientRect();
      return { x: box.left + window.scrollX, y: box.top + window.scrollY, width: box.width, height: box.height };
    }));
    const pictures: Buffer[] = [];
    for (const box of boxes) {
      if (signal?.aborted) return [];
      pictures.push(Buffer.from(await page.screenshot({ type: 'jpeg', quality: 70, captureBeyondViewport: true, clip: { ...box, scale: WIDTH / box.width } })));
    }
    return pictures;
  } finally {
    await pagination.close();
  }
}

// The no-loss guarantee can fail: the default article paginated in Chromium passes it, and the same pages with
// a sentence taken out, a paragraph laid out twice or a photo that did not load are each refused, by name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../build/errors.ts';
import { loadArticle, type Article } from '../build/model/load.ts';
import { openBrowser, type BrowserSession } from '../build/print/browser.ts';
import { verifyNothingLost } from '../build/print/no-loss.ts';
import { paginate, type Pagination } from '../build/print/pdf.ts';
import { PRESETS } from '../build/print/presets.ts';
import { DEFAULT_ARTICLE } from './helpers/text.ts';

let session: BrowserSession;
let article: Article;

beforeAll(async () => {
  session = await openBrowser({});
  article = await loadArticle(DEFAULT_ARTICLE);
}, 120_000);

afterAll(() => session?.release());

/** Paginates the default article, lets `tamper` change the laid-out pages, and runs the check. */
async function verifyAfter(tamper: () => void): Promise<UserError | undefined> {
  const pagination: Pagination = await paginate({ article, preset: PRESETS.broadsheet, cropMarks: false, bleed: 0, browser: session.browser, timeout: 120_000 });
  try {
    await pagination.page.evaluate(tamper);
    return await verifyNothingLost(pagination.page, article).then(() => undefined, (error: UserError) => error);
  } finally {
    await pagination.close();
  }
}

describe('no-loss check after pagination', () => {
  it('passes the pages as Paged.js laid them out', async () => {
    expect(await verifyAfter(() => undefined)).toBeUndefined();
  }, 120_000);

  it('names the first sentence a page lost, at its source line', async () => {
    const error = await verifyAfter(() => {
      const walker = document.createTreeWalker(document.querySelector('.pagedjs_pages')!, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.parentElement!.closest('p[data-text]') || !/[^。]{4,}。/.test(node.textContent!)) continue;
        node.textContent = node.textContent!.replace(/[^。]{4,}。/, '');
        return;
      }
    });
    const cut = error?.message ?? '';
    expect(error).toBeInstanceOf(UserError);
    expect(error!.format()).toMatch(/article\.md:\d+: 排好的版面丢了文字：“/);
    const lost = /“(.+?)(…)?”/.exec(cut)![1];
    expect(error!.line).toBe(article.text.find((block) => block.printedText.replace(/\s+/g, '').includes(lost))!.line);
  }, 120_000);

  it('refuses a paragraph laid out twice', async () => {
    const error = await verifyAfter(() => {
      const paragraph = document.querySelector('.pagedjs_pages p[data-text]')!;
      paragraph.after(paragraph.cloneNode(true));
    });
    expect(error?.message).toMatch(/排好的版面把文字排了两次/);
  }, 120_000);

  it('refuses a photo that did not load', async () => {
    const error = await verifyAfter(() => {
      const image = document.querySelector('.pagedjs_pages figure img') as HTMLImageElement;
      image.removeAttribute('src');
    });
    expect(error?.message).toMatch(/照片 images\/.+\.jpg 没能在版面上显示/);
  }, 120_000);
});

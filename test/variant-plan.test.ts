// The make-up plan's first variant, planned in a page of its own while the print page makes the first plan
// (variant-plan.ts), must be the plan the print page would have made itself: the same PDF, byte for byte,
// whichever page planned it. On the default article the variant is the plan kept (one page where the first
// plan makes two), so a variant lost or planned otherwise on the way shows, and the print page marks the plan
// it adopted; on a long article the second page is the default.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLongArticle } from '../scripts/bench-inputs.ts';
import { loadArticle, type Article } from '../build/model/load.ts';
import { openBrowser, type BrowserSession } from '../build/print/browser.ts';
import { buildPdf, paginate } from '../build/print/pdf.ts';
import { PRESETS } from '../build/print/presets.ts';
import { variantPays } from '../build/print/variant-plan.ts';
import { pdfInfo } from './helpers/poppler.ts';
import { DEFAULT_ARTICLE } from './helpers/text.ts';

const work = mkdtempSync(path.join(tmpdir(), 'banmian-variant-'));
let session: BrowserSession;

beforeAll(async () => {
  session = await openBrowser({});
}, 60_000);

afterAll(async () => {
  await session?.release();
});

/** Builds the article's PDF with the variant planned apart or not (undefined: as a build decides). */
async function build(article: Article, variantPage: boolean | undefined, name: string): Promise<{ bytes: Buffer; pages: number }> {
  const { file } = await buildPdf({ article, preset: PRESETS.broadsheet, cropMarks: false, bleed: 0, browser: session.browser, outDir: path.join(work, name), variantPage });
  return { bytes: readFileSync(file), pages: Number(pdfInfo(file).Pages) };
}

describe('the plan\'s first variant planned in a page of its own', () => {
  it('is the plan kept on the default article, and prints byte for byte as when the print page plans it', async () => {
    const article = await loadArticle(DEFAULT_ARTICLE);
    const inline = await build(article, false, 'default-inline');
    const apart = await build(article, true, 'default-apart');
    // The first plan takes two pages; the variant, one.
    expect(inline.pages).toBe(1);
    expect(apart.pages).toBe(1);
    expect(apart.bytes.equals(inline.bytes)).toBe(true);
    // The plan kept was the one the second page made (the print page marks a plan it adopts), and only then.
    for (const variantPage of [true, false]) {
      const pagination = await paginate({ article, preset: PRESETS.broadsheet, cropMarks: false, bleed: 0, browser: session.browser, timeout: 60_000, variantPage });
      try {
        expect(await pagination.page.evaluate(() => document.documentElement.dataset.variantPlanned)).toBe(variantPage ? 'apart' : undefined);
      } finally {
        await pagination.close();
      }
    }
  }, 60_000);

  it('is used by default for a long article, with the same PDF', async () => {
    const dir = path.join(work, 'long');
    await writeLongArticle({ from: DEFAULT_ARTICLE, to: dir, copies: 15 });
    const article = await loadArticle(dir);
    expect(variantPays(article, PRESETS.broadsheet)).toBe(true);
    expect(variantPays(await loadArticle(DEFAULT_ARTICLE), PRESETS.broadsheet)).toBe(false);
    const byDefault = await build(article, undefined, 'long-default');
    const inline = await build(article, false, 'long-inline');
    expect(byDefault.pages).toBeGreaterThan(10);
    expect(byDefault.bytes.equals(inline.bytes)).toBe(true);
  }, 120_000);
});

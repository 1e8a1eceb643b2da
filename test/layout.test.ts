// Page geometry in real Chromium after Paged.js: nothing outside its page's type area, photos and their
// captions never split, glued punctuation never broken, no empty page — for the default article and a
// long one that forces many breaks.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArticle } from '../build/model/load.ts';
import { openBrowser, type BrowserSession } from '../build/print/browser.ts';
import { paginate } from '../build/print/pdf.ts';
import { PRESETS, type PresetName } from '../build/print/presets.ts';
import { writeLongArticle } from '../scripts/bench-inputs.ts';
import { DEFAULT_ARTICLE } from './helpers/text.ts';

interface Geometry {
  pages: number;
  emptyPages: number[];
  outside: string[];
  splitFigures: string[];
  brokenGlue: string[];
  figures: number;
}

/** Runs in the page: checks every text fragment and photo against its own page's content box. */
function measure(): Geometry {
  const pages = [...document.querySelectorAll('.pagedjs_page')];
  const outside: string[] = [];
  const emptyPages: number[] = [];
  pages.forEach((page, index) => {
    const content = page.querySelector('.pagedjs_page_content')!;
    const box = content.getBoundingClientRect();
    const inside = (rect: DOMRect) => rect.left >= box.left - 1 && rect.right <= box.right + 1 && rect.top >= box.top - 1 && rect.bottom <= box.bottom + 1;
    const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    let text = '';
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent!.trim()) continue;
      text += node.textContent;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) {
        if (rect.width > 0 && !inside(rect)) outside.push(`page ${index + 1}: “${node.textContent!.trim().slice(0, 16)}”`);
      }
    }
    content.querySelectorAll('img').forEach((img) => {
      if (!inside(img.getBoundingClientRect())) outside.push(`page ${index + 1}: photo ${img.getAttribute('src')}`);
    });
    if (!text.trim() && !content.querySelector('img')) emptyPages.push(index + 1);
  });
  const figures = [...document.querySelectorAll('.pagedjs_pages figure')];
  const splitFigures = figures
    .filter((figure) => !figure.querySelector('img') || !figure.querySelector('figcaption') || figure.hasAttribute('data-split-from') || figure.hasAttribute('data-split-to'))
    .map((figure) => figure.id);
  const brokenGlue = [...document.querySelectorAll('.pagedjs_pages .glue')]
    .filter((span) => span.getClientRects().length !== 1)
    .map((span) => span.textContent!);
  return { pages: pages.length, emptyPages, outside, splitFigures, brokenGlue, figures: figures.length };
}

let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowser({});
});
afterAll(async () => {
  await session?.release();
});

async function geometry(dir: string, preset: PresetName): Promise<Geometry> {
  const pagination = await paginate({ article: await loadArticle(dir), preset: PRESETS[preset], cropMarks: false, bleed: 0, browser: session.browser, timeout: 120_000 });
  try {
    return await pagination.page.evaluate(measure);
  } finally {
    await pagination.close();
  }
}

describe('page geometry', () => {
  it.each(['broadsheet', 'tabloid', 'a4'] as const)('default article, %s: nothing clipped, split or broken', async (preset) => {
    const result = await geometry(DEFAULT_ARTICLE, preset);
    expect(result.figures).toBe(5);
    expect(result).toMatchObject({ emptyPages: [], outside: [], splitFigures: [], brokenGlue: [] });
  });

  it('a long article on tabloid pages: every break is clean', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'banmian-long-')), 'long-article');
    await writeLongArticle({ from: DEFAULT_ARTICLE, to: dir, copies: 3 });
    const result = await geometry(dir, 'tabloid');
    expect(result.pages).toBeGreaterThan(4);
    expect(result.figures).toBe(15);
    expect(result).toMatchObject({ emptyPages: [], outside: [], splitFigures: [], brokenGlue: [] });
  });
});

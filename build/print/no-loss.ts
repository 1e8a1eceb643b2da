// The last line of defence, run on every build: after pagination, the text of the laid-out pages is compared
// with the text of the model, block by block, and every photo must be on a page, loaded, exactly once.
// Paged.js has dropped text at column breaks before; a build that lost or doubled anything fails here.
import type { Page } from 'puppeteer';
import { UserError } from '../errors.ts';
import type { Article } from '../model/load.ts';

interface PageFacts {
  /** Text of each `data-text` block, in page order (a block split over pages joined again). */
  texts: Record<string, string>;
  /** Figure id → how many times it is laid out, and how many of those images failed to load. */
  figures: Record<string, { count: number; broken: number }>;
}

const normalise = (text: string) => text.replace(/\s+/g, '');

/** Throws a UserError naming the first block whose text or photo the pages lost or doubled. */
export async function verifyNothingLost(page: Page, article: Article): Promise<void> {
  const facts = await page.evaluate(collectPageFacts);
  for (const block of article.text) {
    if (block.place !== 'body' && block.place !== 'header') continue;
    const expected = normalise(block.printedText);
    const laidOut = normalise(facts.texts[block.id] ?? '');
    if (laidOut === expected) continue;
    const sentences = expected.split(/(?<=[。！？；…])/).filter(Boolean);
    const missing = sentences.find((sentence) => !laidOut.includes(sentence));
    throw new UserError(
      missing !== undefined
        ? `排好的版面丢了文字：“${clip(missing)}”不在任何一版上`
        : `排好的版面把文字排了两次：“${clip(laidOut.slice(expected.length) || expected)}”`,
      { file: article.file, line: block.line, code: 'layout-lost-text', hint: '这是 banmian 排版的问题，不是稿件的问题：请连同稿件一起报告；换一个 --preset 也许能先排完整。' },
    );
  }
  for (const figure of article.figures) {
    const placed = facts.figures[figure.id] ?? { count: 0, broken: 0 };
    if (placed.count === 1 && placed.broken === 0) continue;
    throw new UserError(
      placed.broken ? `照片 ${figure.src} 没能在版面上显示` : `照片 ${figure.src} 排了 ${placed.count} 次`,
      { file: article.file, line: figure.line, code: 'layout-lost-photo', hint: '这是 banmian 排版或图片文件的问题；请连同稿件一起报告。' },
    );
  }
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Runs in the page: what the Paged.js pages hold, by text block and by figure. */
function collectPageFacts(): PageFacts {
  const root = document.querySelector('.pagedjs_pages') ?? document.body;
  const texts: Record<string, string> = {};
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('[data-no-text]')) continue;
    const block = parent.closest('[data-text]');
    if (!block) continue;
    const id = block.getAttribute('data-text')!;
    texts[id] = (texts[id] ?? '') + (node.textContent ?? '');
  }
  const figures: PageFacts['figures'] = {};
  for (const figure of root.querySelectorAll('figure[id]')) {
    const entry = (figures[figure.id] ??= { count: 0, broken: 0 });
    entry.count++;
    const image = figure.querySelector('img');
    if (!image || !image.complete || image.naturalWidth === 0) entry.broken++;
  }
  return { texts, figures };
}

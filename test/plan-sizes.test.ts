// The make-up plan fills a page by trying, fullest first, the takes of text the page could hold
// (build/print/paged/plan.js, fillPage). takeSizes() works out their sizes, and peekLines() makes each take for
// the probe, without splitting the text itself; findSplit() finds a paragraph's split by halves. This holds them,
// in Chromium with the print document's fonts and styles, to the rule restated here and done the plain way:
// every character's line read in turn, each take split, measured and joined again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArticle } from '../build/model/load.ts';
import { openBrowser, type BrowserSession } from '../build/print/browser.ts';
import { paginate, type Pagination } from '../build/print/pdf.ts';
import { PRESETS } from '../build/print/presets.ts';

type Grid = { columns: number; leading: number; typeWidth: number };
// The plan's own functions, globals of the print document (build/print/paged/plan-text.js, plan.js).
declare const headRange: Range;
declare function readGrid(): Grid;
declare function keepTail(paragraph: Element): void;
declare function linesOf(grid: Grid, block: Element): number;
declare function findSplit(grid: Grid, paragraph: Element, lines: number): boolean;
declare function splitParagraph(grid: Grid, paragraph: Element, lines: number): Element | undefined;
declare function joinSplit(first: Element): void;
declare function planTake(grid: Grid, pool: Element[], capacity: number, split: boolean): { size: number };
declare function takeSizes(grid: Grid, pool: Element[], most: number, least: number): number[];
declare function takeLines(grid: Grid, pool: Element[], capacity: number): Element[];
declare function peekLines(grid: Grid, pool: Element[], capacity: number): Element[];
declare function firstFitting(count: number, guess: number, fits: (index: number) => boolean): number;

/** In the page: a measuring column of paragraphs cut from the article's own text (孤字 kept, one with a note mark) and heads. */
function measuringColumn(): void {
  const text = [...document.querySelectorAll('.pagedjs_page p')].map((p) => p.textContent ?? '').join('');
  const grid = readGrid();
  const host = document.createElement('div');
  host.style.cssText = `position:absolute;left:-20000px;top:0;width:${grid.typeWidth}px;`;
  const column = document.createElement('div');
  column.className = 'article-body article-body--measure';
  column.id = 'sizes-column';
  let at = 0;
  // 0: a head (a take never ends on one).
  const lengths = [40, 260, 12, 90, 500, 30, 0, 180, 350, 70, 0, 220, 45, 410, 0, 0, 150, 95, 600, 25];
  for (const [index, length] of lengths.entries()) {
    const block = document.createElement(length ? 'p' : 'h3');
    block.textContent = length ? text.slice(at, at + length) : text.slice(at, at + 9);
    at += length || 9;
    if (index === 4) {
      // A raised note mark in the middle of the text, as the print document sets one.
      const mark = document.createElement('sup');
      mark.className = 'note-ref';
      mark.textContent = '①';
      (block.firstChild as Text).splitText(200).before(mark);
    }
    column.append(block);
    if (length) keepTail(block);
  }
  host.append(column);
  document.body.append(host);
}

interface Compared { capacity: number; fast: number[]; slow: number[]; worked: number[]; plain: number[]; peeked: string[]; taken: string[] }

/** In the page: for pools starting at every third block, the plan's functions against the plain way (done here). */
function compare(): { splits: { found: number | undefined; plain: number | undefined }[]; takes: Compared[] } {
  const grid = readGrid();
  /** The first part's length, in characters, of `paragraph` split after `lines` lines: every character's line read in turn. */
  function plainSplit(grid: Grid, paragraph: Element, lines: number): number | undefined {
    const top = paragraph.getBoundingClientRect().top;
    const range = document.createRange();
    const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      for (let offset = 0; offset < node.length; offset++) {
        range.setStart(node, offset);
        range.setEnd(node, offset + 1);
        const box = [...range.getClientRects()].find((rect) => rect.width > 0);
        if (!box || Math.floor((box.top - top + 1) / grid.leading) < lines) continue;
        range.setStart(paragraph, 0);
        const keep = node.parentElement!.closest('.glue, .keep');
        if (keep && paragraph.contains(keep)) range.setEndBefore(keep);
        else range.setEnd(node, offset);
        return range.toString().length;
      }
    }
    return undefined;
  }

  /** The take's lines, the plain way: whole blocks while they fit, a paragraph split (two lines each side) where it would cross, no head last. */
  function plainTake(grid: Grid, pool: Element[], capacity: number): number {
    let used = 0;
    let count = 0;
    for (; count < pool.length && used + linesOf(grid, pool[count]) <= capacity; count++) used += linesOf(grid, pool[count]);
    const room = count < pool.length ? Math.min(capacity - used, linesOf(grid, pool[count]) - 2) : 0;
    const first = room >= 2 && pool[count].tagName === 'P' ? splitParagraph(grid, pool[count], room) : undefined;
    if (first) {
      const size = used + linesOf(grid, first);
      joinSplit(first);
      return size;
    }
    while (count && /^H[3-6]$/.test(pool[count - 1].tagName)) used -= linesOf(grid, pool[--count]);
    return used;
  }

  const column = document.getElementById('sizes-column')!;
  const blocks = [...column.children];
  const splits = blocks.filter((block) => block.tagName === 'P').flatMap((paragraph) => {
    const lines = linesOf(grid, paragraph);
    return Array.from({ length: Math.max(0, lines - 3) }, (_, index) => ({
      found: findSplit(grid, paragraph, index + 2) ? headRange.toString().length : undefined,
      plain: plainSplit(grid, paragraph, index + 2),
    }));
  });
  const takes: Compared[] = [];
  for (let start = 0; start < blocks.length; start += 3) {
    const pool = blocks.slice(start);
    for (const capacity of [9, 24, 40, 61, 88, 130]) {
      const least = Math.max(0, capacity - 4 * grid.columns);
      const fast = takeSizes(grid, pool, capacity, least);
      const [worked, plain]: number[][] = [[], []];
      const sizes = new Map<number, number>();
      for (let lines = capacity; lines > least; lines--) {
        worked.push(planTake(grid, pool, lines, true).size);
        plain.push(plainTake(grid, pool, lines));
        if (!sizes.has(plain.at(-1)!)) sizes.set(plain.at(-1)!, lines);
      }
      const slow = [...sizes].sort((a, b) => b[0] - a[0]).map(([, lines]) => lines);
      const before = pool.map((block) => block.outerHTML).join('');
      const peeked = peekLines(grid, pool, capacity).map((block) => block.outerHTML);
      if (pool.map((block) => block.outerHTML).join('') !== before) throw new Error('peekLines changed the pool');
      const take = takeLines(grid, pool, capacity) as Element[] & { split?: Element };
      const taken = take.map((block) => block.outerHTML);
      // Given back: a split paragraph joined again.
      if (take.split) joinSplit(take.pop()!);
      pool.unshift(...take);
      takes.push({ capacity, fast, slow, worked, plain, peeked, taken });
    }
  }
  return { splits, takes };
}

describe('the takes a page is filled with', () => {
  let session: BrowserSession;
  let pagination: Pagination;
  let compared: ReturnType<typeof compare>;
  beforeAll(async () => {
    session = await openBrowser({});
    const article = await loadArticle('manuscript/changsha-manufacturing-2025');
    pagination = await paginate({ article, preset: PRESETS.broadsheet, cropMarks: false, bleed: 0, browser: session.browser, timeout: 120_000 });
    await pagination.page.evaluate(measuringColumn);
    compared = await pagination.page.evaluate(compare);
  }, 120_000);
  afterAll(async () => {
    await pagination?.close();
    await session?.release();
  });

  it('findSplit splits a paragraph where reading every character\'s line in turn does', () => {
    const { splits } = compared;
    expect(splits.length).toBeGreaterThan(50);
    expect(splits.filter((split) => split.plain !== undefined).length).toBeGreaterThan(50);
    expect(splits.map((split) => split.found)).toEqual(splits.map((split) => split.plain));
  });

  it('takeSizes and planTake give the lines that splitting, measuring and joining each take finds, in its order', () => {
    const { takes } = compared;
    expect(takes.length).toBeGreaterThan(30);
    for (const { capacity, fast, slow, worked, plain } of takes) {
      expect(worked, `capacity ${capacity}`).toEqual(plain);
      expect(fast, `capacity ${capacity}`).toEqual(slow);
    }
  });

  it('peekLines takes what takeLines takes, the split paragraph\'s first part as a copy, and changes nothing', () => {
    const { takes } = compared;
    expect(takes.filter((take) => take.taken.some((html) => html.includes('runs-on'))).length).toBeGreaterThan(10);
    for (const { capacity, peeked, taken } of takes) expect(peeked, `capacity ${capacity}`).toEqual(taken);
  });

  it('firstFitting finds the first of the tries that fits, from any guess, trying each at most once', async () => {
    const results = await pagination.page.evaluate(() => {
      const wrong: string[] = [];
      let most = 0;
      for (let count = 0; count <= 30; count++) {
        for (let first = 0; first <= count; first++) {
          for (let guess = 0; guess < Math.max(1, count); guess++) {
            const tried = new Set<number>();
            const found = firstFitting(count, guess, (index) => {
              if (index < 0 || index >= count || tried.has(index)) wrong.push(`${count}/${first}/${guess}: tried ${index}`);
              tried.add(index);
              return index >= first;
            });
            if (found !== first) wrong.push(`${count}/${first}/${guess}: found ${found}`);
            if (Math.abs(first - guess) <= 1) most = Math.max(most, tried.size);
          }
        }
      }
      return { wrong, most };
    });
    expect(results.wrong).toEqual([]);
    // Next to the guess, a few tries settle it.
    expect(results.most).toBeLessThanOrEqual(4);
  });
});

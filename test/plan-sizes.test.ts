// The make-up plan fills a page by trying, fullest first, every size of text the page could take
// (build/print/paged/plan.js, fillPage). takeSizes() works those sizes out from the blocks' lines, and
// peekLines() makes each take for the probe, both without splitting the text itself; this holds them to what
// taking each capacity really takes — splitting the paragraph at the line, measuring the parts, joining them
// again — in Chromium, with the print document's fonts and styles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArticle } from '../build/model/load.ts';
import { openBrowser, type BrowserSession } from '../build/print/browser.ts';
import { paginate, type Pagination } from '../build/print/pdf.ts';
import { PRESETS } from '../build/print/presets.ts';

type Grid = { columns: number; leading: number; typeWidth: number };
// The plan's own functions, globals of the print document (build/print/paged/plan-text.js).
declare function readGrid(): Grid;
declare function takeSizes(grid: Grid, pool: Element[], most: number, least: number): number[];
declare function planTake(grid: Grid, pool: Element[], capacity: number, split: boolean, find: boolean): { size: number };
declare function takeLines(grid: Grid, pool: Element[], capacity: number): Element[] & { split?: Element };
declare function peekLines(grid: Grid, pool: Element[], capacity: number): Element[];
declare function joinSplit(first: Element): void;
declare function linesOf(grid: Grid, block: Element): number;

/** In the page: a measuring column of paragraphs (cut from the article's own text) and heads, as the plan sets them. */
function measuringColumn(): void {
  const text = [...document.querySelectorAll('.pagedjs_page p')].map((p) => p.textContent ?? '').join('');
  const grid = readGrid();
  const host = document.createElement('div');
  host.style.cssText = `position:absolute;left:-20000px;top:0;width:${grid.typeWidth}px;`;
  const column = document.createElement('div');
  column.className = 'article-body article-body--measure';
  column.id = 'sizes-column';
  let at = 0;
  const lengths = [40, 260, 12, 90, 500, 30, 0, 180, 350, 70, 0, 220, 45, 410, 0, 0, 150, 95, 600, 25];
  for (const length of lengths) {
    // 0: a head (a head never ends a take: takeLines gives it back with the text it heads).
    const block = document.createElement(length ? 'p' : 'h3');
    block.textContent = length ? text.slice(at, at + length) : text.slice(at, at + 9);
    at += length || 9;
    column.append(block);
  }
  host.append(column);
  document.body.append(host);
}

interface Compared { capacity: number; fast: number[]; slow: number[]; splits: number; peeked: string[]; taken: string[]; worked: number[]; measured: number[] }

/** In the page: takeSizes() against taking, measuring and giving back each capacity, for pools starting at each block. */
function compare(): Compared[] {
  const grid = readGrid();
  const column = document.getElementById('sizes-column')!;
  const expectUnchanged = (before: string, pool: Element[]) => {
    if (pool.map((block) => block.outerHTML).join('') !== before) throw new Error('peekLines changed the pool');
  };
  const results: Compared[] = [];
  for (let start = 0; start < column.children.length; start += 3) {
    const pool = [...column.children].slice(start);
    for (const capacity of [9, 24, 40, 61, 88, 130]) {
      const least = Math.max(0, capacity - 4 * grid.columns);
      const fast = takeSizes(grid, pool, capacity, least);
      const sizes = new Map<number, number>();
      let splits = 0;
      const before = pool.map((block) => block.outerHTML).join('');
      const peeked = peekLines(grid, pool, capacity).map((block) => block.outerHTML);
      expectUnchanged(before, pool);
      let taken: string[] = [];
      const [worked, measured]: number[][] = [[], []];
      for (let lines = capacity; lines > least; lines--) {
        worked.push(planTake(grid, pool, lines, true, false).size);
        const take = takeLines(grid, pool, lines);
        if (take.split) splits++;
        if (lines === capacity) taken = take.map((block) => block.outerHTML);
        const size = take.reduce((sum, block) => sum + linesOf(grid, block), 0);
        measured.push(size);
        // Given back: a split paragraph joined again.
        if (take.split) joinSplit(take.pop()!);
        pool.unshift(...take);
        if (!sizes.has(size)) sizes.set(size, lines);
      }
      const slow = [...sizes].sort((a, b) => b[0] - a[0]).map(([, lines]) => lines);
      results.push({ capacity, fast, slow, splits, peeked, taken, worked, measured });
    }
  }
  return results;
}

describe('the sizes a page can take (takeSizes)', () => {
  let session: BrowserSession;
  let pagination: Pagination;
  beforeAll(async () => {
    session = await openBrowser({});
    const article = await loadArticle('manuscript/changsha-manufacturing-2025');
    pagination = await paginate({ article, preset: PRESETS.broadsheet, cropMarks: false, bleed: 0, browser: session.browser, timeout: 120_000 });
    await pagination.page.evaluate(measuringColumn);
  }, 120_000);
  afterAll(async () => {
    await pagination?.close();
    await session?.release();
  });

  it('are the sizes that splitting, measuring and joining each take finds, in the same order', async () => {
    const results = await pagination.page.evaluate(compare);
    expect(results.length).toBeGreaterThan(30);
    // The takes really split paragraphs.
    expect(results.reduce((sum, result) => sum + result.splits, 0)).toBeGreaterThan(200);
    for (const { capacity, fast, slow, worked, measured } of results) {
      // Each take's lines, worked out, are the lines of the blocks taken, measured.
      expect(worked, `capacity ${capacity}`).toEqual(measured);
      expect(fast, `capacity ${capacity}`).toEqual(slow);
    }
  }, 120_000);

  it('peekLines takes what takeLines takes, the split paragraph\'s first part as a copy, and changes nothing', async () => {
    const results = await pagination.page.evaluate(compare);
    expect(results.filter((result) => result.taken.some((html) => html.includes('runs-on'))).length).toBeGreaterThan(10);
    for (const { capacity, peeked, taken } of results) expect(peeked, `capacity ${capacity}`).toEqual(taken);
  }, 120_000);
});

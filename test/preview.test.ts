// The proofreading preview end to end in Debian's Chromium: the PDF's pages, live edits that keep the reader's place, clicks to the source.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Frame, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureRepaint } from '../build/preview/measure.ts';
import { ROOT, runCli } from './helpers/cli.ts';
import { openDesk, type Desk } from './helpers/desk.ts';
import { DEFAULT_ARTICLE, normalise } from './helpers/text.ts';

/** The frame that is in view (a re-render is paginated in a second, hidden frame first). */
async function shownFrame(page: Page): Promise<Frame> {
  const frame = await (await page.waitForSelector('iframe.is-shown'))!.contentFrame();
  return frame!;
}

/**
 * Each page's text in paint order, generated content (running head, the subtitle's dash) included as a PDF holds it,
 * normalised as `normalise` does; and the offsets in that text where a printed line begins, read from where each
 * character lies on the screen.
 */
function pageTexts(frame: Frame): Promise<{ text: string; lineStarts: number[] }[]> {
  return frame.$$eval('.pagedjs_page', (pages) => pages.map((page) => {
    const fold = (text: string) => text.normalize('NFKC').replace(/\s+/g, '');
    let text = '';
    const lineStarts: number[] = [];
    let previous: { middle: number; left: number } | undefined;
    /** Where generated text just before the next character began: a line that starts there starts with it. */
    let generatedFrom: number | undefined;
    const generated = (element: Element, pseudo: string) => {
      const content = getComputedStyle(element, pseudo).content;
      if (!/^".*"$/s.test(content)) return;
      generatedFrom ??= text.length;
      text += fold(JSON.parse(content) as string);
    };
    const walk = (node: Node) => {
      if (node.nodeType === Node.TEXT_NODE) {
        const data = (node as Text).data;
        for (let index = 0; index < data.length; index++) {
          const folded = fold(data[index]);
          if (!folded) continue;
          const range = document.createRange();
          range.setStart(node, index);
          range.setEnd(node, index + 1);
          const box = range.getClientRects()[0];
          const middle = (box.top + box.bottom) / 2;
          // A new line: the text moved down (or up, into the next column) by more than half a line, or back to the left.
          if (!previous || Math.abs(middle - previous.middle) > box.height / 2 || box.left < previous.left - 1) lineStarts.push(generatedFrom ?? text.length);
          previous = { middle, left: box.left };
          generatedFrom = undefined;
          text += folded;
        }
        return;
      }
      if (!(node instanceof Element) || getComputedStyle(node).display === 'none') return;
      generated(node, '::before');
      node.childNodes.forEach(walk);
      generated(node, '::after');
    };
    walk(page);
    return { text, lineStarts };
  }));
}

/** Offsets in a page's normalised text where a line of `pdftotext -raw` begins (every printed line, and some splits within one). */
function printedLineStarts(raw: string): Set<number> {
  const starts = new Set<number>();
  let offset = 0;
  for (const line of raw.split('\n').map(normalise).filter(Boolean)) {
    starts.add(offset);
    offset += line.length;
  }
  return starts;
}

/** Which page is at the top of the view, and how far down it (as a fraction of its height). */
function placeInView(frame: Frame): Promise<{ page: number; fraction: number }> {
  return frame.evaluate(() => {
    const pages = [...document.querySelectorAll('.pagedjs_page')];
    const index = pages.filter((page) => page.getBoundingClientRect().top <= 1).length - 1;
    const box = pages[Math.max(index, 0)].getBoundingClientRect();
    return { page: Math.max(index, 0), fraction: -box.top / box.height };
  });
}

/** Clicks, as a mouse would, near the start of the first line of the `selector` element holding `text`, in the frame in view. */
async function clickText(page: Page, text: string, selector = '[data-source-line]'): Promise<void> {
  const frame = await shownFrame(page);
  const inFrame = await frame.evaluate((wanted, within) => {
    const block = [...document.querySelectorAll(`.pagedjs_page ${within}`)].find((element) => element.textContent!.includes(wanted))!;
    block.scrollIntoView({ block: 'center' });
    const line = block.getClientRects()[0];
    return { x: line.left + Math.min(line.width / 2, 40), y: line.top + 4 };
  }, text, selector);
  const { x, y } = await page.$eval('iframe.is-shown', (element, point) => {
    const box = element.getBoundingClientRect();
    const scale = box.width / (element as HTMLElement).offsetWidth;
    return { x: box.left + point.x * scale, y: box.top + point.y * scale };
  }, inFrame);
  await page.mouse.click(x, y);
}

describe('banmian preview in Chromium', () => {
  let desk: Desk;
  let work: string;
  let file: string;
  let original: string;
  let page: Page;

  beforeAll(async () => {
    desk = await openDesk({ viewport: { width: 1400, height: 900 } });
    ({ work, file, original, page } = desk);
    await shownFrame(page);
    // The whole width of the page in view, so that a click anywhere on it lands in the frame.
    await page.select('#zoom', 'fit-width');
  });

  afterAll(async () => {
    await desk?.close();
  });

  it('shows the same pages as the PDF, each with the same text', async () => {
    const result = runCli(['build', DEFAULT_ARTICLE, '--format', 'pdf', '--preset', 'tabloid', '--out', work]);
    expect(result.code, result.stderr).toBe(0);
    const pdf = path.join(work, 'changsha-manufacturing-2025.pdf');
    const pdfPages = Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
    const pages = await pageTexts(await shownFrame(page));
    expect(pages.length).toBe(pdfPages);
    expect(await page.$eval('#page-count', (element) => element.textContent)).toBe(`${pdfPages} 版`);
    for (const [index, { text, lineStarts }] of pages.entries()) {
      // -raw keeps the content stream's order, which is the page's paint order; the default order interleaves the narrow columns.
      const printed = execFileSync('pdftotext', ['-raw', '-f', String(index + 1), '-l', String(index + 1), pdf, '-'], { encoding: 'utf8' });
      expect(normalise(printed).length, `page ${index + 1} has text`).toBeGreaterThan(100);
      expect(text, `page ${index + 1}`).toBe(normalise(printed));
      // Same line breaks: every line the preview sets begins a line in the PDF too.
      expect(lineStarts.length, `page ${index + 1} has lines`).toBeGreaterThan(20);
      const printedStarts = printedLineStarts(printed);
      expect(lineStarts.filter((start) => !printedStarts.has(start)), `page ${index + 1}: preview lines that do not start a PDF line`).toEqual([]);
    }
    await page.screenshot({ path: path.join(work, 'preview.png') });
  });

  it('a save shows its new text without a reload, and the page in view stays in view', async () => {
    await page.evaluate(() => Object.assign(window, { stillTheSamePage: true }));
    const before = await shownFrame(page);
    await before.evaluate(() => {
      const second = document.querySelectorAll('.pagedjs_page')[1];
      window.scrollTo(0, second.getBoundingClientRect().top + window.scrollY + 300);
    });
    const place = await placeInView(before);
    expect(place.page).toBe(1);

    writeFileSync(file, original.replace('企业是制造业的核心载体', '企业是制造业的核心载体（校样改动）'));
    await page.waitForFunction(
      () => document.querySelector<HTMLIFrameElement>('iframe.is-shown')?.contentDocument?.body.textContent?.includes('（校样改动）'),
      { timeout: 10_000 },
    );
    expect(await page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
    const after = await placeInView(await shownFrame(page));
    expect(after.page).toBe(1);
    expect(after.fraction).toBeCloseTo(place.fraction, 2);
    expect(await page.$$('iframe')).toHaveLength(1);
  });

  it('clicking a paragraph shows its source file and line', async () => {
    const lines = readFileSync(file, 'utf8').split('\n');
    const wanted = '三诺生物传感深耕血糖仪领域';
    const line = lines.findIndex((text) => text.startsWith(wanted)) + 1;
    expect(line).toBeGreaterThan(0);
    await clickText(page, wanted);
    await expect.poll(() => page.$eval('#source-where', (element) => element.textContent)).toBe(`${path.relative(work, file)}:${line}`);
    expect(await page.$eval('#source-line', (element) => element.textContent)).toBe(lines[line - 1]);
    const marked = await (await shownFrame(page)).$$eval('.banmian-highlight', (elements) => elements.map((element) => element.getAttribute('data-source-line')));
    expect(marked.length).toBeGreaterThan(0);
    expect(new Set(marked)).toEqual(new Set([String(line)]));

    // The headline comes from the front matter, a caption from the line after its photo's.
    const clickAndRead = async (text: string, selector: string) => {
      await clickText(page, text, selector);
      await expect.poll(() => page.$eval('#source-line', (element) => element.textContent)).toContain(text);
      return page.$eval('#source-where', (element) => element.textContent);
    };
    const lineOf = (prefix: string) => `${path.relative(work, file)}:${lines.findIndex((text) => text.startsWith(prefix)) + 1}`;
    expect(await clickAndRead('长沙制造攀', '.title')).toBe(lineOf('title:'));
    expect(await clickAndRead('中联重科挖机阵列', '.caption')).toBe(lineOf('中联重科挖机阵列'));
  });

  it('lists the check\'s findings; clicking one scrolls to its place and marks it', async () => {
    const broken = original.replace('企业是制造业的核心载体，', '企业是制造业的核心载体,');
    const line = broken.split('\n').findIndex((text) => text.includes('核心载体,')) + 1;
    writeFileSync(file, broken);
    await page.waitForFunction(
      () => document.querySelector<HTMLIFrameElement>('iframe.is-shown')?.contentDocument?.body.textContent?.includes('核心载体,'),
      { timeout: 10_000 },
    );
    const finding = await page.waitForSelector(`.finding[data-line="${line}"]`, { timeout: 15_000 });
    await page.evaluate(() => document.querySelector<HTMLIFrameElement>('iframe.is-shown')!.contentWindow!.scrollTo(0, 0));
    await finding!.click();
    const frame = await shownFrame(page);
    const marked = await frame.$$eval('.banmian-highlight', (elements) => elements.map((element) => {
      const box = element.getBoundingClientRect();
      return { line: element.getAttribute('data-source-line'), visible: box.bottom > 0 && box.top < window.innerHeight, text: element.textContent };
    }));
    expect(marked.length).toBeGreaterThan(0);
    expect(marked.every((element) => element.line === String(line))).toBe(true);
    expect(marked[0]).toMatchObject({ visible: true, text: expect.stringContaining('核心载体,') });
    expect(await page.$eval('#source-where', (element) => element.textContent)).toMatch(new RegExp(`article\\.md:${line}$`));
  });

  it('a save that breaks the manuscript shows the error in the page, and the next good save recovers', async () => {
    writeFileSync(file, original.replace(/^title: .*\n/m, ''));
    await page.waitForSelector('#render-error:not([hidden])', { timeout: 10_000 });
    const error = await page.$eval('#render-error', (element) => (element as HTMLElement).innerText);
    expect(error).toMatch(/article\.md:\d+: 缺少字段 "title"/);
    expect(await page.$('iframe.is-shown')).not.toBeNull();

    writeFileSync(file, original);
    await page.waitForSelector('#render-error[hidden]', { timeout: 10_000 });
    // The good save's text (the comma fixed back) replaces the pages that were in view during the error.
    await page.waitForFunction(
      () => document.querySelector<HTMLIFrameElement>('iframe.is-shown')?.contentDocument?.body.textContent?.includes('核心载体，'),
      { timeout: 10_000 },
    );
  });
});

describe('measureRepaint (for the benchmark)', () => {
  it('times each save until its text is in the pages on screen, and leaves the article untouched', async () => {
    const before = readFileSync(path.join(ROOT, DEFAULT_ARTICLE, 'article.md'), 'utf8');
    const times = await measureRepaint({ dir: path.join(ROOT, DEFAULT_ARTICLE), preset: 'broadsheet', samples: 2 });
    expect(times.samples).toHaveLength(2);
    for (const sample of times.samples) expect(sample).toBeGreaterThan(0);
    expect(times.max).toBe(Math.max(...times.samples));
    expect(readFileSync(path.join(ROOT, DEFAULT_ARTICLE, 'article.md'), 'utf8')).toBe(before);
  });
});

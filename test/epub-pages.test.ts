// The EPUB that knows its printed pages, and reads at night: its page-list in epub.js has one entry per page of the
// PDF of the same build, each landing where poppler reads that page's first line; under a dark theme every text keeps
// a 4.5:1 contrast, measured on a screenshot's page colour against the text's colour as drawn.
// KEEP_SCREENSHOTS=1 keeps the build folder with the night screenshots to look at.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBody } from '../build/document/body.ts';
import { epubLanguage } from '../build/epub/language.ts';
import { markPageBreaks } from '../build/epub/page-list.ts';
import { loadArticle } from '../build/model/load.ts';
import { writeArticle } from './helpers/article.ts';
import { ROOT, runCli } from './helpers/cli.ts';
import { DEFAULT_ARTICLE, normalise } from './helpers/text.ts';

const EPUBCHECK = '/usr/share/java/epubcheck.jar';
const VIEWER = { width: 600, height: 800 };
const SLUG = path.basename(DEFAULT_ARTICLE);
/** epub.js, with a night theme of the kind reading systems inject when the page asks for one (`?night`). */
const READER_PAGE = `<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8">
<script src="/jszip.min.js"></script><script src="/epub.min.js"></script>
<style>body { margin: 0 } #viewer { width: ${VIEWER.width}px; height: ${VIEWER.height}px }</style>
</head><body><div id="viewer"></div>
<script>
  window.reader = (async () => {
    const book = ePub('/book.epub');
    window.rendition = book.renderTo('viewer', { width: ${VIEWER.width}, height: ${VIEWER.height}, spread: 'none' });
    if (location.search === '?night') window.rendition.themes.override('color', '#e6e1d8');
    if (location.search === '?night') window.rendition.themes.override('background', '#161616');
    await window.rendition.display();
    await book.loaded.navigation;
    // book.loaded.pageList resolves before the list is read; the book's PageList has it by now.
    return { pages: (book.pageList.pageList ?? []).map((item) => ({ label: String(item.page), href: item.href })) };
  })();
</script></body></html>`;

let out: string;
let epubOnly: string;
let server: Server;
let browser: Browser;

beforeAll(async () => {
  out = mkdtempSync(path.join(tmpdir(), 'banmian-epub-pages-'));
  epubOnly = path.join(out, 'epub-only');
  // On the tabloid page the default article runs to two pages (one broadsheet page holds it all).
  const both = runCli(['build', DEFAULT_ARTICLE, '--format', 'pdf,epub', '--preset', 'tabloid', '--out', out]);
  expect(both.code, both.stderr).toBe(0);
  const alone = runCli(['build', DEFAULT_ARTICLE, '--format', 'epub', '--preset', 'tabloid', '--out', epubOnly]);
  expect(alone.code, alone.stderr).toBe(0);
  const files: Record<string, [string, string]> = {
    '/jszip.min.js': [path.join(ROOT, 'node_modules/jszip/dist/jszip.min.js'), 'text/javascript'],
    '/epub.min.js': [path.join(ROOT, 'node_modules/epubjs/dist/epub.min.js'), 'text/javascript'],
    '/book.epub': [path.join(out, `${SLUG}.epub`), 'application/epub+zip'],
  };
  server = createServer((request, response) => {
    const route = (request.url ?? '').split('?')[0];
    if (route === '/') return void response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(READER_PAGE);
    const file = files[route];
    if (!file) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': file[1] }).end(readFileSync(file[0]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  browser = await puppeteer.launch({
    executablePath: process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium',
    headless: 'new',
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (!process.env.KEEP_SCREENSHOTS) rmSync(out, { recursive: true, force: true });
});

async function openReader(query = '', scheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport(VIEWER);
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/${query}`);
  await page.evaluate(() => (window as unknown as { reader: Promise<unknown> }).reader);
  return page;
}

function chapterFrame(page: Page): Frame {
  const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
  if (!frame) throw new Error('epub.js shows no chapter');
  return frame;
}

const pdfPages = () => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path.join(out, `${SLUG}.pdf`)], { encoding: 'utf8' }))![1]);

describe('the EPUB\'s printed pages', () => {
  it('passes EPUBCheck with no message at all', () => {
    const check = spawnSync('java', ['-jar', EPUBCHECK, path.join(out, `${SLUG}.epub`)], { encoding: 'utf8', timeout: 120_000 });
    expect(`${check.stdout}${check.stderr}`).toContain('Messages: 0 fatals / 0 errors / 0 warnings / 0 infos');
    expect(check.status).toBe(0);
  });

  it('epub.js lists as many pages as the PDF has, and each lands where poppler reads that page\'s text', async () => {
    const page = await openReader();
    const { pages } = await page.evaluate(() => (window as unknown as { reader: Promise<{ pages: { label: string; href: string }[] }> }).reader);
    const count = pdfPages();
    expect(count).toBeGreaterThan(1);
    expect(pages.map((entry) => entry.label)).toEqual(Array.from({ length: count }, (_, index) => String(index + 1)));
    const xhtml = await (await JSZip.loadAsync(readFileSync(path.join(out, `${SLUG}.epub`)))).file('OEBPS/article.xhtml')!.async('string');
    for (const [index, entry] of pages.entries()) {
      const id = entry.href.split('#')[1];
      // The book's text from the marker on, against the PDF page's text (its running head aside).
      const after = normalise(xhtml.slice(xhtml.indexOf(`id="${id}"`)).replace(/<[^>]*>/g, '').replace(/^[^>]*>/, '')).slice(0, 12);
      const printed = normalise(execFileSync('pdftotext', ['-f', String(index + 1), '-l', String(index + 1), '-raw', path.join(out, `${SLUG}.pdf`), '-'], { encoding: 'utf8' }));
      expect(printed.indexOf(after), `page ${index + 1} starts with ${after}`).toBeGreaterThanOrEqual(0);
      expect(printed.indexOf(after)).toBeLessThan(12);
    }
    // epub.js goes there: the marker of the last page is in the chapter on screen.
    await page.evaluate((href) => (window as unknown as { rendition: { display(target: string): Promise<void> } }).rendition.display(href), pages.at(-1)!.href);
    const marker = await chapterFrame(page).$eval(`#${pages.at(-1)!.href.split('#')[1]}`, (element) => element.getAttribute('epub:type') ?? element.getAttributeNS('http://www.idpf.org/2007/ops', 'type'));
    expect(marker).toBe('pagebreak');
    await page.close();
  });

  it('tells the same pages when the EPUB is built without the PDF; the NCX counts them', async () => {
    const read = async (file: string, entry: string) => (await JSZip.loadAsync(readFileSync(file))).file(entry)!.async('string');
    const withPdf = await read(path.join(out, `${SLUG}.epub`), 'OEBPS/article.xhtml');
    expect(await read(path.join(epubOnly, `${SLUG}.epub`), 'OEBPS/article.xhtml')).toBe(withPdf);
    const ncx = await read(path.join(out, `${SLUG}.epub`), 'OEBPS/toc.ncx');
    expect(ncx).toContain(`<meta name="dtb:totalPageCount" content="${pdfPages()}"/>`);
    expect(ncx.match(/<pageTarget /g)).toHaveLength(pdfPages());
    const opf = await read(path.join(out, `${SLUG}.epub`), 'OEBPS/content.opf');
    expect(opf).toContain('<dc:language>zh-Hans</dc:language>');
  });
});

/** WCAG contrast of two sRGB colours (0–255 channels). */
function contrast(a: number[], b: number[]): number {
  const luminance = (rgb: number[]) => {
    const [r, g, bl] = rgb.map((value) => {
      const c = value / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

describe('the EPUB at night', () => {
  for (const [name, query, scheme] of [['the system\'s dark scheme', '', 'dark'], ['a reader\'s night theme', '?night', 'light']] as const) {
    it(`keeps every text at 4.5:1 or more under ${name}`, async () => {
      const page = await openReader(query, scheme);
      const frame = chapterFrame(page);
      await frame.evaluate(() => document.fonts.ready);
      // Each text's colour as drawn: its colour, alpha and every ancestor's opacity.
      const texts = await frame.evaluate(() => {
        const seen = new Map<Element, { rgb: number[]; alpha: number; text: string }>();
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const element = node.parentElement!;
          if (!node.textContent!.trim() || seen.has(element) || element.closest('[hidden]')) continue;
          const [r, g, b, a = 1] = getComputedStyle(element).color.match(/[\d.]+/g)!.map(Number);
          let alpha = a;
          for (let up: Element | null = element; up; up = up.parentElement) alpha *= Number(getComputedStyle(up).opacity);
          seen.set(element, { rgb: [r, g, b], alpha, text: node.textContent!.trim().slice(0, 12) });
        }
        return [...seen.values()];
      });
      expect(texts.length).toBeGreaterThan(10);
      // The page colour, as the screenshot shows it at the viewer's corner (no text there).
      const png = PNG.sync.read(Buffer.from(await page.screenshot({ clip: { x: 2, y: VIEWER.height - 6, width: 4, height: 4 } })));
      const paper = [png.data[0], png.data[1], png.data[2]];
      expect(contrast(paper, [0, 0, 0]), 'the page is dark').toBeLessThan(2);
      const low = texts
        .map(({ rgb, alpha, text }) => ({ text, ratio: contrast(rgb.map((value, index) => value * alpha + paper[index] * (1 - alpha)), paper) }))
        .filter(({ ratio }) => ratio < 4.5);
      expect(low).toEqual([]);
      writeFileSync(path.join(out, `night${query ? '-theme' : ''}.png`), await page.screenshot());
      await page.close();
    });
  }
});

describe('page-break markers and the language tag', () => {
  const pagebreak = (page: number) => `<span epub:type="pagebreak" role="doc-pagebreak" id="page-${page}" aria-label="${page}"></span>`;

  it('puts each page\'s marker before its first character, inside the block, and never goes backwards', async () => {
    // Lines: 1–3 front matter, 4 blank, 5 first paragraph, 7 head, 9 second paragraph.
    const article = await loadArticle(writeArticle('title: 标题', '一二**三**四五\n\n## 小标题\n\n六七八九'));
    const { tokens, leading } = markPageBreaks(article.tokens, [
      { page: 1, offset: 0, text: '标题' },
      { page: 2, line: 5, offset: 3, text: '四五' },
      { page: 3, line: 9, offset: 2, text: '八九' },
      { page: 4, line: 8, offset: 0, text: '' },
      { page: 5, line: 99, offset: 0, text: '' },
    ], article.bodyOffset);
    expect(leading).toBe(pagebreak(1));
    const html = renderBody({ ...article, tokens }, { target: 'epub', imageUrl: (figure) => figure.src });
    expect(html).toContain(`<p>一二<strong>三</strong>${pagebreak(2)}四五</p>`);
    expect(html).toContain(`<p>六七${pagebreak(3)}${pagebreak(4)}八九</p>\n</section>${pagebreak(5)}`);
    expect(html.match(/epub:type="pagebreak"/g)).toHaveLength(4);
  });

  it('tags Chinese by the script of its text, the region deciding only a tie', () => {
    expect(epubLanguage('zh-CN', '这个产业的发展')).toBe('zh-Hans');
    expect(epubLanguage('zh-CN', '這個產業的發展，鸚鵡')).toBe('zh-Hant');
    expect(epubLanguage('zh-TW', '鸚鵡')).toBe('zh-Hant');
    expect(epubLanguage('zh', '鸚鵡')).toBe('zh-Hans');
    expect(epubLanguage('en', 'Industry')).toBe('en');
  });
});

// The EPUB in a real reading system: epub.js, in Debian's Chromium, opens the default article's EPUB and
// shows its headline, its text, its photos and its table of contents, as a reader on an e-reader would see them.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, ROOT } from './helpers/cli.ts';
import { DEFAULT_ARTICLE } from './helpers/text.ts';

const VIEWER = { width: 600, height: 800 };
const READER_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<script src="/jszip.min.js"></script><script src="/epub.min.js"></script>
<style>body { margin: 0 } #viewer { width: ${VIEWER.width}px; height: ${VIEWER.height}px }</style>
</head><body><div id="viewer"></div>
<script>
  window.reader = (async () => {
    const book = ePub('/book.epub');
    window.rendition = book.renderTo('viewer', { width: ${VIEWER.width}, height: ${VIEWER.height}, spread: 'none' });
    await window.rendition.display();
    const [navigation, metadata] = await Promise.all([book.loaded.navigation, book.loaded.metadata]);
    return { toc: navigation.toc.map((item) => ({ label: item.label.trim(), href: item.href })), language: metadata.language, title: metadata.title };
  })();
</script></body></html>`;

let out: string;
let server: Server;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  out = mkdtempSync(path.join(tmpdir(), 'banmian-epub-reader-'));
  const result = runCli(['build', DEFAULT_ARTICLE, '--format', 'epub', '--out', out]);
  expect(result.code).toBe(0);
  const files: Record<string, [string, string]> = {
    '/': [READER_PAGE, 'text/html; charset=utf-8'],
    '/jszip.min.js': [path.join(ROOT, 'node_modules/jszip/dist/jszip.min.js'), 'text/javascript'],
    '/epub.min.js': [path.join(ROOT, 'node_modules/epubjs/dist/epub.min.js'), 'text/javascript'],
    '/book.epub': [path.join(out, 'changsha-manufacturing-2025.epub'), 'application/epub+zip'],
  };
  server = createServer((request, response) => {
    const file = files[request.url ?? ''];
    if (!file) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': file[1] }).end(request.url === '/' ? file[0] : readFileSync(file[0]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  browser = await puppeteer.launch({
    executablePath: process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium',
    headless: 'new',
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.setViewport({ width: VIEWER.width, height: VIEWER.height });
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

/** The frame epub.js shows the chapter in. */
function chapterFrame(): Frame {
  const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
  if (!frame) throw new Error('epub.js shows no chapter');
  return frame;
}

/** Where an element of the chapter lies on the screen (the chapter's columns scroll inside the viewer). */
async function screenBox(selector: string): Promise<{ x: number; y: number; width: number; height: number; text: string }> {
  const frameBox = await page.$eval('#viewer iframe', (iframe) => {
    const { x, y } = iframe.getBoundingClientRect();
    return { x, y };
  });
  const box = await chapterFrame().$eval(selector, (element) => {
    const { x, y, width, height } = element.getBoundingClientRect();
    return { x, y, width, height, text: (element as HTMLElement).innerText };
  });
  return { ...box, x: box.x + frameBox.x, y: box.y + frameBox.y };
}

/** Share of dark (ink) pixels in a box of a screenshot of the viewer. */
async function ink(box: { x: number; y: number; width: number; height: number }): Promise<number> {
  const clip = { x: Math.max(0, box.x), y: Math.max(0, box.y), width: Math.min(box.width, VIEWER.width - box.x), height: Math.min(box.height, VIEWER.height - box.y) };
  const png = PNG.sync.read(Buffer.from(await page.screenshot({ clip })));
  let dark = 0;
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i] + png.data[i + 1] + png.data[i + 2] < 3 * 128) dark++;
  return dark / (png.width * png.height);
}

const onScreen = (box: { x: number; y: number; width: number; height: number }) =>
  box.width > 0 && box.height > 0 && box.x >= 0 && box.y >= 0 && box.x + box.width <= VIEWER.width + 1 && box.y + box.height <= VIEWER.height + 1;

describe('the EPUB in epub.js (Chromium)', () => {
  it('opens with its metadata and table of contents', async () => {
    const info = await page.evaluate(() => (window as unknown as { reader: Promise<{ toc: { label: string; href: string }[]; language: string; title: string }> }).reader);
    expect(info.title).toBe('长沙制造攀「高」逐「新」');
    expect(info.language).toBe('zh-Hans');
    expect(info.toc.map((item) => item.label)).toEqual([
      '长沙制造攀「高」逐「新」',
      '梯度培育 激活企业成长新动能',
      '平台搭桥 深化五链融合促协同',
      '集群跃升 筑牢产业发展硬根基',
      '生态赋能 涵养智造创新源动力',
    ]);
    expect(pageErrors).toEqual([]);
  });

  it('shows the headline and the start of the text on the first page, in ink', async () => {
    await chapterFrame().evaluate(() => document.fonts.ready);
    const title = await screenBox('h1.title');
    expect(title.text).toBe('长沙制造攀「高」逐「新」');
    expect(onScreen(title)).toBe(true);
    expect(await ink(title)).toBeGreaterThan(0.03);
    const lead = await screenBox('.article-body > p');
    expect(lead.text).toMatch(/^中联智慧产业城里，AGV小车沿着磁导航轨道无声穿梭/);
    expect(lead.y).toBeLessThan(VIEWER.height - 40);
    expect(await ink({ ...lead, height: Math.min(lead.height, VIEWER.height - lead.y) })).toBeGreaterThan(0.03);
    writeFileSync(path.join(out, 'reader-first-page.png'), await page.screenshot());
  });

  it('loads every photo from the book', async () => {
    const images = await chapterFrame().$$eval('figure img', (elements) =>
      Promise.all((elements as HTMLImageElement[]).map((img) => img.decode().then(() => ({ alt: img.alt, width: img.naturalWidth })))),
    );
    expect(images).toHaveLength(5);
    for (const image of images) {
      expect(image.alt.length).toBeGreaterThan(0);
      expect(image.width).toBeGreaterThan(0);
    }
  });

  it('has well-formed XHTML in every content and navigation document (Chromium\'s XML parser)', async () => {
    const zip = await JSZip.loadAsync(readFileSync(path.join(out, 'changsha-manufacturing-2025.epub')));
    const documents = await Promise.all(
      Object.keys(zip.files).filter((name) => /\.(xhtml|opf|ncx)$/.test(name)).map(async (name) => [name, await zip.file(name)!.async('string')]),
    );
    expect(documents.length).toBe(4);
    const errors = await page.evaluate((docs) => docs.flatMap(([name, text]) => {
      const parsed = new DOMParser().parseFromString(text, name.endsWith('.xhtml') ? 'application/xhtml+xml' : 'application/xml');
      const error = parsed.querySelector('parsererror');
      return error ? [`${name}: ${error.textContent}`] : [];
    }), documents);
    expect(errors).toEqual([]);
  });

  it('jumps to a section from the table of contents and shows its head and text', async () => {
    const info = await page.evaluate(() => (window as unknown as { reader: Promise<{ toc: { href: string }[] }> }).reader);
    await page.evaluate((href) => (window as unknown as { rendition: { display(target: string): Promise<void> } }).rendition.display(href), info.toc[3].href);
    const head = await screenBox('#sec-3 > h2');
    expect(head.text).toBe('集群跃升 筑牢产业发展硬根基');
    expect(onScreen(head)).toBe(true);
    expect(await ink(head)).toBeGreaterThan(0.03);
    writeFileSync(path.join(out, 'reader-section.png'), await page.screenshot());
    expect(pageErrors).toEqual([]);
  });
});

// `banmian import` against a loopback HTTP server the test starts and stops: the real weekly with its 49
// remote images, one download per URL, and every failure (404, timeout, not an image, too large, cut off)
// named with its URL and line, leaving no folder behind.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importArticle, type ImportOptions } from '../build/import/import.ts';
import { imageFileName } from '../build/import/names.ts';
import { readImportSource } from '../build/import/source.ts';
import { rewriteArticle } from '../build/import/rewrite.ts';
import { UserError } from '../build/errors.ts';
import { loadArticle } from '../build/model/load.ts';
import { ROOT } from './helpers/cli.ts';
import { pdfImages } from './helpers/poppler.ts';

const WEEKLY = path.join(ROOT, 'test/fixtures/import/tech-weekly-300/article.md');
const WEEKLY_HOST = 'https://cdn.beekka.com/';
const LIMITS = { timeoutMs: 2_000, maxBytes: 200_000 };

let server: Server;
let base: string;
const requests = new Map<string, number>();
let photo: Buffer;
/** A photo with real scan data, so that cutting it in half keeps its header. */
let noisyPhoto: Buffer;

/** A small photo per path (its colour from the path), so every served image differs. */
async function photoFor(urlPath: string, format: 'webp' | 'jpeg' | 'png'): Promise<Buffer> {
  const hue = [...urlPath].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) % 256, 7);
  return sharp({ create: { width: 96, height: 64, channels: 3, background: { r: hue, g: 255 - hue, b: 128 } } }).toFormat(format).toBuffer();
}

beforeAll(async () => {
  photo = await photoFor('/photo.jpg', 'jpeg');
  noisyPhoto = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg().toBuffer();
  server = createServer((request, response) => {
    const urlPath = new URL(request.url ?? '/', 'http://x').pathname;
    requests.set(urlPath, (requests.get(urlPath) ?? 0) + 1);
    const send = (status: number, type: string, body: Buffer | string) => {
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    };
    if (urlPath.startsWith('/cdn/')) {
      void photoFor(urlPath, 'webp').then((bytes) => send(200, 'image/webp', bytes));
    } else if (urlPath === '/photo.jpg') {
      send(200, 'image/jpeg', photo);
    } else if (urlPath === '/missing.jpg') {
      send(404, 'text/html', '<h1>Not Found</h1>');
    } else if (urlPath === '/page.jpg') {
      send(200, 'image/jpeg', '<!doctype html><title>Login</title>');
    } else if (urlPath === '/badge.svg') {
      send(200, 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg" width="90" height="20"><rect width="90" height="20"/></svg>');
    } else if (urlPath === '/cut.jpg') {
      send(200, 'image/jpeg', noisyPhoto.subarray(0, Math.floor(noisyPhoto.length / 2)));
    } else if (urlPath === '/huge.png') {
      // Streamed without a length, so the limit must be enforced while reading.
      response.writeHead(200, { 'content-type': 'image/png' });
      const block = Buffer.alloc(64 * 1024);
      const push = () => (response.destroyed ? undefined : response.write(block) ? setImmediate(push) : response.once('drain', push));
      push();
    } else if (urlPath === '/slow.jpg') {
      response.writeHead(200, { 'content-type': 'image/jpeg' });
      response.write(photo.subarray(0, 100)); // …and never the rest
    } else {
      send(404, 'text/plain', 'no such file');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A Markdown file in a fresh folder, and the `manuscript` folder beside it to import into. */
function writeSource(name: string, text: string) {
  const root = mkdtempSync(path.join(tmpdir(), 'banmian-import-'));
  const file = path.join(root, name);
  writeFileSync(file, text);
  return { file, into: path.join(root, 'manuscript') };
}

async function importFails(text: string, options: Partial<ImportOptions> = {}): Promise<{ error: UserError; into: string }> {
  const { file, into } = writeSource('story.md', text);
  const error = await importArticle({ file, into, ...LIMITS, ...options }).then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(UserError);
  return { error: error as UserError, into };
}

describe('banmian import', () => {
  it('imports the real weekly: 49 remote images downloaded once each, paths rewritten, the # heading made the title', async () => {
    const original = readFileSync(WEEKLY, 'utf8');
    const served = original.replaceAll(WEEKLY_HOST, `${base}/cdn/`);
    const { file, into } = writeSource('weekly-300.md', served);
    const result = await importArticle({ file, into, ...LIMITS });

    expect(result.dir).toBe(path.join(into, 'weekly-300'));
    expect(readdirSync(into)).toEqual(['weekly-300']); // no staging folder left
    const article = readFileSync(path.join(result.dir, 'article.md'), 'utf8');
    const images = readdirSync(path.join(result.dir, 'images')).sort();
    expect(result.images).toBe(49);
    expect(images).toHaveLength(49);
    for (const name of images) expect(name).toMatch(/^[a-z0-9-]+-[0-9a-f]{8}\.webp$/);
    const cdnRequests = [...requests].filter(([urlPath]) => urlPath.startsWith('/cdn/'));
    expect(cdnRequests).toHaveLength(49);
    expect(cdnRequests.every(([, count]) => count === 1)).toBe(true);

    expect(article.startsWith('---\ntitle: 科技爱好者周刊（第 300 期）：三十年，解决人生三大问题\n---\n\n这里记录每周值得分享的科技内容')).toBe(true);
    expect(article).not.toContain('# 科技爱好者周刊');
    const localPaths = [...article.matchAll(/!\[\]\((images\/[^)]+)\)/g)].map((match) => match[1]);
    expect(localPaths).toHaveLength(49);
    expect(new Set(localPaths).size).toBe(49);
    for (const local of localPaths) expect(existsSync(path.join(result.dir, local))).toBe(true);
    expect(article).not.toContain(`${base}/cdn/`);

    // Nothing else changed: putting each URL back gives the source without its heading.
    const urls = [...served.matchAll(/!\[\]\(([^)]+)\)/g)].map((match) => match[1]);
    let i = 0;
    const restored = article.replace(/^---\n[^]*?\n---\n\n/, '').replace(/!\[\]\(images\/[^)]+\)/g, () => `![](${urls[i++]})`);
    expect(restored).toBe(served.replace(/^# .*\n\n/, ''));

    // The build's loader takes the folder as it is: 49 photos, each read at its real size.
    const loaded = await loadArticle(result.dir);
    expect(loaded.frontMatter.title).toBe('科技爱好者周刊（第 300 期）：三十年，解决人生三大问题');
    expect(loaded.figures).toHaveLength(49);
    expect(loaded.figures.every((figure) => figure.width === 96 && figure.height === 64)).toBe(true);

    // Each file is the very image its URL served.
    const first = urls[0];
    const firstLocal = localPaths[0];
    expect(readFileSync(path.join(result.dir, firstLocal)).equals(await photoFor(new URL(first).pathname, 'webp'))).toBe(true);
  });

  it('the imported weekly builds offline: its 49 photos in the PDF at their real size', async () => {
    const { file, into } = writeSource('weekly-300.md', readFileSync(WEEKLY, 'utf8').replaceAll(WEEKLY_HOST, `${base}/cdn/`));
    const { dir } = await importArticle({ file, into, ...LIMITS });
    const out = path.join(path.dirname(into), 'dist');
    const code = await new Promise<number | null>((resolve) => {
      const child = execFile(process.execPath, [path.join(ROOT, 'build/bin.mjs'), 'build', dir, '--out', out, '--format', 'pdf'], { env: { ...process.env, NO_COLOR: '1' } }, () => resolve(child.exitCode));
    });
    expect(code).toBe(0);
    const images = pdfImages(path.join(out, 'weekly-300.pdf'));
    expect(images).toHaveLength(49);
    expect(images.every((image) => image.width === 96 && image.height === 64)).toBe(true);
  });

  it('downloads a URL used twice once, and rewrites both uses', async () => {
    requests.delete('/photo.jpg');
    const { file, into } = writeSource('twice.md', `# 两次\n\n![一](${base}/photo.jpg)\n\n正文。\n\n![二](${base}/photo.jpg "title")\n`);
    const { dir } = await importArticle({ file, into, ...LIMITS });
    const article = readFileSync(path.join(dir, 'article.md'), 'utf8');
    const [name] = readdirSync(path.join(dir, 'images'));
    expect(requests.get('/photo.jpg')).toBe(1);
    expect(name).toMatch(/^photo-[0-9a-f]{8}\.jpg$/);
    expect(article).toBe(`---\ntitle: 两次\n---\n\n![一](images/${name})\n\n正文。\n\n![二](images/${name} "title")\n`);
  });

  it('finds every remote image the model sees: inside a link, in a list and a quote, in <…>, by reference, with a Chinese path', async () => {
    const text = [
      '# 各种写法', '',
      `[![徽章](${base}/cdn/badge.webp)](https://example.org/)`, '',
      `- 列表里的图 ![](${base}/cdn/in-list.webp)`, '',
      `> 引文里的图 ![](${base}/cdn/in-quote.webp)`, '',
      `![尖括号](<${base}/cdn/angle.webp>)`, '',
      '![引用式][photo]', '',
      `![中文](${base}/cdn/图片.webp)`, '',
      `[photo]: ${base}/cdn/reference.webp "标题"`, '',
      '![本地](images/local.jpg) 和 [链接](https://example.org/not-an-image.jpg)', '',
    ].join('\n');
    const { file, into } = writeSource('forms.md', text);
    const { dir, images } = await importArticle({ file, into, ...LIMITS });
    expect(images).toBe(6);
    const article = readFileSync(path.join(dir, 'article.md'), 'utf8');
    const names = readdirSync(path.join(dir, 'images'));
    expect(names).toEqual(expect.arrayContaining([expect.stringMatching(/^badge-/), expect.stringMatching(/^in-list-/), expect.stringMatching(/^angle-/), expect.stringMatching(/^reference-/), expect.stringMatching(/^image-[0-9a-f]{8}\.webp$/)]));
    expect(article).not.toContain(base);
    expect(article).toContain('](<images/angle-');
    expect(article).toMatch(/\n\[photo\]: images\/reference-[0-9a-f]{8}\.webp "标题"\n/);
    expect(article).toContain('![本地](images/local.jpg) 和 [链接](https://example.org/not-an-image.jpg)');
  });

  it('names every failed download with its URL and line, all at once, and leaves no folder', async () => {
    const text = [
      '# 失败', '',
      `![ok](${base}/photo.jpg)`, '',
      `![404](${base}/missing.jpg)`, '',
      `![html](${base}/page.jpg)`, '',
      `![svg](${base}/badge.svg)`, '',
      `![cut](${base}/cut.jpg)`, '',
      `![huge](${base}/huge.png)`, '',
      `![slow](${base}/slow.jpg)`, '',
    ].join('\n');
    const { error, into } = await importFails(text, { timeoutMs: 1_000 });
    expect(error.line).toBe(5);
    expect(error.message).toContain('6 images could not be imported');
    const lines = error.message.split('\n').slice(1).map((line) => line.trim());
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`story\\.md:5: ${base}/missing\\.jpg: HTTP 404 Not Found$`)),
      expect.stringMatching(/story\.md:7: .*\/page\.jpg: the answer is not an image$/),
      expect.stringMatching(/story\.md:9: .*\/badge\.svg: it is SVG, not a photo banmian can print/),
      expect.stringMatching(/story\.md:11: .*\/cut\.jpg: the image data is damaged/),
      expect.stringMatching(/story\.md:13: .*\/huge\.png: larger than the 200 kB limit$/),
      expect.stringMatching(/story\.md:15: .*\/slow\.jpg: no complete answer within 1 s$/),
    ]);
    expect(existsSync(into)).toBe(false); // the folder it created for the article is gone too
  });

  it('refuses a file without a title, and an existing article folder', async () => {
    const untitled = await importFails('#提问的智慧\n\n正文。\n');
    expect(untitled.error.message).toBe('the file has no title');
    expect(untitled.error.line).toBe(1);

    const { file, into } = writeSource('story.md', '# 标题\n\n正文。\n');
    mkdirSync(path.join(into, 'story'), { recursive: true });
    writeFileSync(path.join(into, 'story', 'article.md'), 'keep me');
    await expect(importArticle({ file, into, ...LIMITS })).rejects.toThrow('the article folder already exists');
    expect(readFileSync(path.join(into, 'story', 'article.md'), 'utf8')).toBe('keep me');
  });

  it('keeps existing front matter and the heading, and takes the local photos along', async () => {
    const text = `---\ntitle: 已有标题\n---\n\n# 正文里的标题\n\n![本地](images/本地%20照片.jpg)\n\n![缺失](images/missing.jpg)\n\n![远程](${base}/photo.jpg)\n`;
    const { file, into } = writeSource('has-front-matter.md', text);
    mkdirSync(path.join(path.dirname(file), 'images'));
    writeFileSync(path.join(path.dirname(file), 'images', '本地 照片.jpg'), photo);
    const { dir } = await importArticle({ file, into, ...LIMITS });
    const names = readdirSync(path.join(dir, 'images')).sort();
    expect(names).toEqual([expect.stringMatching(/^photo-[0-9a-f]{8}\.jpg$/), '本地 照片.jpg']);
    expect(readFileSync(path.join(dir, 'images', '本地 照片.jpg')).equals(photo)).toBe(true);
    expect(readFileSync(path.join(dir, 'article.md'), 'utf8')).toBe(text.replace(`${base}/photo.jpg`, `images/${names[0]}`));
  });

  it('the CLI prints file:line and the URL, and exits 1', async () => {
    const { file, into } = writeSource('cli.md', `# 标题\n\n正文。\n\n![](${base}/missing.jpg)\n`);
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [path.join(ROOT, 'build/bin.mjs'), 'import', file, '--into', into], { env: { ...process.env, NO_COLOR: '1' } }, (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }));
    });
    expect(code).toBe(1);
    expect(stderr).toContain(`cli.md:5: cannot import ${base}/missing.jpg: HTTP 404 Not Found`);
    expect(existsSync(into)).toBe(false);
  });

  it('Ctrl-C during a download stops the import, exits 130 and leaves no folder', async () => {
    const { file, into } = writeSource('interrupted.md', `# 中断\n\n![](${base}/photo.jpg)\n\n![](${base}/slow.jpg)\n`);
    const before = requests.get('/slow.jpg') ?? 0;
    const child = spawn(process.execPath, [path.join(ROOT, 'build/bin.mjs'), 'import', file, '--into', into, '--timeout', '60'], { env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    while ((requests.get('/slow.jpg') ?? 0) === before) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('interrupted');
    expect(existsSync(into)).toBe(false);
  });
});

describe('import, without the network', () => {
  it('names images from the URL: readable, ASCII, stable, never shared by two URLs', () => {
    const name = imageFileName('https://cdn.example.org/2024/Bg%20Photo_01.WEBP?w=800', 'webp');
    expect(name).toMatch(/^bg-photo-01-[0-9a-f]{8}\.webp$/);
    expect(imageFileName('https://cdn.example.org/2024/Bg%20Photo_01.WEBP?w=800', 'webp')).toBe(name);
    expect(imageFileName('https://cdn.example.org/2024/Bg%20Photo_01.WEBP?w=400', 'webp')).not.toBe(name);
    expect(imageFileName('https://example.org/图片/挖掘机.jpeg', 'jpeg')).toMatch(/^image-[0-9a-f]{8}\.jpg$/);
    expect(imageFileName('https://example.org/', 'png')).toMatch(/^image-[0-9a-f]{8}\.png$/);
  });

  it('puts the front matter first (a byte-order mark goes), and takes a setext heading whole', () => {
    const source = '\uFEFF标题\n===\n\n正文。\n';
    const parts = readImportSource(source, 'a.md');
    expect(parts.title).toMatchObject({ text: '标题', line: 1 });
    expect(rewriteArticle(source, parts, new Map())).toBe('---\ntitle: 标题\n---\n\n正文。\n');
    const atx = '\uFEFF# 标题\n正文。\n';
    expect(rewriteArticle(atx, readImportSource(atx, 'a.md'), new Map())).toBe('---\ntitle: 标题\n---\n\n正文。\n');
  });
});

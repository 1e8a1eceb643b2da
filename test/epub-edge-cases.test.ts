// EPUB edge cases from test/fixtures/epub/edge-cases: a dated article without sections or masthead, whose one
// oversized transparent PNG (named in Chinese, with a space) is shown twice. Still EPUBCheck clean.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';

const FIXTURE = 'test/fixtures/epub/edge-cases';

let file: string;
let zip: JSZip;
let opf: string;
let text: string;

beforeAll(async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'banmian-epub-edge-'));
  const dir = path.join(work, 'edge-cases');
  cpSync(FIXTURE, dir, { recursive: true });
  mkdirSync(path.join(dir, 'images'));
  // 2400 px wide, half transparent: wider than any screen, and with an alpha channel JPEG cannot keep.
  await sharp({ create: { width: 2400, height: 1200, channels: 4, background: { r: 30, g: 90, b: 160, alpha: 0.5 } } })
    .png()
    .toFile(path.join(dir, 'images/透明 图.png'));
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.SOURCE_DATE_EPOCH;
  const result = runCli(['build', dir, '--format', 'epub', '--out', path.join(work, 'out')], { env });
  expect(result.stderr).toContain('epub edge-cases');
  expect(result.code).toBe(0);
  file = path.join(work, 'out/edge-cases.epub');
  zip = await JSZip.loadAsync(readFileSync(file));
  opf = await zip.file('OEBPS/content.opf')!.async('string');
  text = await zip.file('OEBPS/article.xhtml')!.async('string');
});

describe('EPUB edge cases', () => {
  it('passes EPUBCheck with 0 errors and 0 warnings', () => {
    const check = spawnSync('java', ['-jar', '/usr/share/java/epubcheck.jar', file], { encoding: 'utf8', timeout: 120_000 });
    expect(`${check.stdout}${check.stderr}`).toContain('Messages: 0 fatals / 0 errors / 0 warnings / 0 infos');
    expect(check.status).toBe(0);
  });

  it('stores an image shown twice once, as a screen-sized JPEG, and points both figures at it', async () => {
    const images = Object.keys(zip.files).filter((name) => name.startsWith('OEBPS/images/'));
    expect(images).toEqual(['OEBPS/images/fig-1.jpg']);
    const info = await sharp(await zip.file(images[0])!.async('nodebuffer')).metadata();
    expect(info).toMatchObject({ format: 'jpeg', width: 1600, height: 800, hasAlpha: false });
    expect([...text.matchAll(/<img src="([^"]+)"/g)].map((match) => match[1])).toEqual(['images/fig-1.jpg', 'images/fig-1.jpg']);
    expect([...opf.matchAll(/<item id="image-/g)]).toHaveLength(1);
  });

  it('takes its dates from the front matter and its description as written', () => {
    expect(opf).toContain('<dc:date>2025-12-31</dc:date>');
    expect(opf).toContain('<meta property="dcterms:modified">2025-12-31T00:00:00Z</meta>');
    expect(opf).toContain('<dc:description>检验 EPUB 对边界情况的处理。</dc:description>');
    expect(opf).not.toContain('<dc:publisher>');
    expect(opf).toContain('<dc:identifier id="book-id">urn:banmian:edge-cases</dc:identifier>');
  });

  it('lists only the headline in its navigation when the article has no sections', async () => {
    const nav = await zip.file('OEBPS/toc.xhtml')!.async('string');
    const toc = /<nav epub:type="toc"[\s\S]*?<\/nav>/.exec(nav)![0];
    expect([...toc.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map(([, href, label]) => [href, label])).toEqual([
      ['article.xhtml', '一篇没有小标题的短稿，标题很长需要在封面上折成两行以上'],
    ]);
  });
});

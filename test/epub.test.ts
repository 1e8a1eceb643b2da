// The EPUB of the default article, built fresh by the CLI: EPUBCheck clean, zh-Hans (the script of its text) throughout, every source
// sentence, five captioned figures at screen size, accessibility metadata, and the same bytes on every build.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadArticle, type Article } from '../build/model/load.ts';
import { runCli } from './helpers/cli.ts';
import { DEFAULT_ARTICLE, htmlText, missingSentences, sourceSentences } from './helpers/text.ts';

const SLUG = 'changsha-manufacturing-2025';
const EPUBCHECK = '/usr/share/java/epubcheck.jar';

/** Builds the default article's EPUB into a fresh folder; SOURCE_DATE_EPOCH is taken from `epoch`, never from the caller's environment. */
function buildEpub(epoch?: string): { file: string; stderr: string; code: number | null } {
  const out = mkdtempSync(path.join(tmpdir(), 'banmian-epub-'));
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined) env.SOURCE_DATE_EPOCH = epoch;
  const result = runCli(['build', DEFAULT_ARTICLE, '--format', 'epub', '--out', out], { env });
  return { file: path.join(out, `${SLUG}.epub`), stderr: result.stderr, code: result.code };
}

let file: string;
let bytes: Buffer;
let zip: JSZip;
let opf: string;
let xhtml: Map<string, string>;
let article: Article;

beforeAll(async () => {
  const built = buildEpub();
  expect(built.stderr).toMatch(/^epub changsha-manufacturing-2025 \d+\.\d\d s$/m);
  expect(built.code).toBe(0);
  file = built.file;
  bytes = readFileSync(file);
  zip = await JSZip.loadAsync(bytes);
  opf = await zip.file('OEBPS/content.opf')!.async('string');
  xhtml = new Map();
  for (const name of Object.keys(zip.files).filter((name) => name.endsWith('.xhtml'))) xhtml.set(name, await zip.file(name)!.async('string'));
  article = await loadArticle(DEFAULT_ARTICLE);
});

const articleXhtml = () => xhtml.get('OEBPS/article.xhtml')!;

describe('the EPUB of the default article', () => {
  it('passes the real EPUBCheck with 0 errors and 0 warnings', () => {
    const check = spawnSync('java', ['-jar', EPUBCHECK, file], { encoding: 'utf8', timeout: 120_000 });
    const report = `${check.stdout}${check.stderr}`;
    expect(report).toContain('Messages: 0 fatals / 0 errors / 0 warnings / 0 infos');
    expect(report).toContain('No errors or warnings detected.');
    expect(check.status).toBe(0);
  });

  it('is zh-Hans (the script of its text) throughout: dc:language, the package element and every XHTML file', () => {
    expect(opf).toMatch(/<package [^>]*xml:lang="zh-Hans"/);
    expect(opf).toContain('<dc:language>zh-Hans</dc:language>');
    expect(xhtml.size).toBeGreaterThanOrEqual(2);
    for (const [, text] of xhtml) {
      const html = /<html [^>]*>/.exec(text)![0];
      expect(html).toContain('lang="zh-Hans"');
      expect(html).toContain('xml:lang="zh-Hans"');
    }
  });

  it('has a navigation document listing the headline and every section, each pointing at its heading', () => {
    const nav = xhtml.get('OEBPS/toc.xhtml')!;
    expect(opf).toMatch(/<item [^>]*href="toc\.xhtml"[^>]*properties="nav"/);
    const links = [...nav.matchAll(/<nav epub:type="toc"[\s\S]*?<\/nav>/g)][0][0].matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g);
    const entries = [...links].map(([, href, label]) => ({ href, label }));
    expect(entries.map((entry) => entry.label)).toEqual([article.frontMatter.title, ...article.sections.map((section) => section.title)]);
    expect(article.sections.length).toBe(4);
    for (const { href } of entries.slice(1)) {
      const id = href.split('#')[1];
      expect(articleXhtml()).toMatch(new RegExp(`<section [^>]*id="${id}"[^>]*>\\s*<h2`));
    }
  });

  it('carries the metadata: accessibility, a description from the lead, the stable identifier, a cover image, no "now"', async () => {
    for (const property of ['accessMode', 'accessModeSufficient', 'accessibilityFeature', 'accessibilityHazard', 'accessibilitySummary']) {
      expect(opf).toMatch(new RegExp(`<meta property="schema:${property}">[^<]+</meta>`));
    }
    expect(opf).toContain('<meta property="schema:accessibilityFeature">alternativeText</meta>');
    const description = /<dc:description>([^<]*)<\/dc:description>/.exec(opf)![1];
    expect(description.length).toBeGreaterThan(20);
    expect(articleXhtml()).toContain(description.replace(/……$/, '').slice(0, 40));
    expect(opf).toMatch(/unique-identifier="book-id"/);
    expect(opf).toContain('<dc:identifier id="book-id">urn:banmian:changsha-manufacturing-2025</dc:identifier>');
    expect(await zip.file('OEBPS/toc.ncx')!.async('string')).toContain('<meta name="dtb:uid" content="urn:banmian:changsha-manufacturing-2025"/>');
    // The manuscript gives no date and SOURCE_DATE_EPOCH is unset: the fixed fallback, and no dc:date is invented.
    expect(opf).toContain('<meta property="dcterms:modified">1980-01-01T00:00:00Z</meta>');
    expect(opf).not.toContain('<dc:date>');
    const cover = /<item [^>]*href="([^"]+)"[^>]*properties="cover-image"/.exec(opf)![1];
    const coverInfo = await sharp(await zip.file(`OEBPS/${cover}`)!.async('nodebuffer')).metadata();
    expect(coverInfo).toMatchObject({ format: 'jpeg', width: 1600, height: 2400 });
  });

  it('contains every sentence of the source text, captions and credits included', () => {
    // The body only: the <title> in the head repeats the headline, which must be found in the text itself.
    const text = htmlText(articleXhtml().replace(/^[\s\S]*?<body[^>]*>/, ''));
    expect(sourceSentences().length).toBeGreaterThan(80);
    expect(missingSentences(text)).toEqual([]);
  });

  it('has five figures with alt text and a figcaption holding caption and credit, images at most 1600 px wide, under 3 MB', async () => {
    const figures = [...articleXhtml().matchAll(/<figure\b[^>]*>([\s\S]*?)<\/figure>/g)].map((match) => match[1]);
    expect(figures).toHaveLength(5);
    for (const [i, figure] of figures.entries()) {
      const expected = article.figures[i];
      const [, src, alt] = /^<img src="([^"]+)" alt="([^"]+)"\/>/.exec(figure)!;
      expect(alt).toBe(expected.alt);
      expect(figure).toContain(`<figcaption><span class="caption">${expected.caption}</span><span class="credit">${expected.credit}</span></figcaption>`);
      expect(src).toBe(`images/${expected.id}.jpg`);
      const image = await sharp(await zip.file(`OEBPS/${src}`)!.async('nodebuffer')).metadata();
      expect(image.format).toBe('jpeg');
      expect(image.width).toBeLessThanOrEqual(1600);
    }
    const images = Object.keys(zip.files).filter((name) => /\.(jpe?g|png|gif|webp)$/.test(name));
    for (const name of images) expect((await sharp(await zip.file(name)!.async('nodebuffer')).metadata()).width).toBeLessThanOrEqual(1600);
    expect(bytes.length).toBeLessThan(3 * 1024 * 1024);
  });

  it('has no print-only attributes and a single-column stylesheet with Chinese body typography', async () => {
    expect(articleXhtml()).not.toMatch(/data-source-line|data-cols/);
    const css = await zip.file('OEBPS/style.css')!.async('string');
    expect(css).not.toMatch(/column-count|columns:|column-width/);
    expect(css).toMatch(/p \{[^}]*text-indent: 2em/);
    expect(css).toMatch(/text-align: justify/);
    expect(css).toMatch(/figcaption \.credit \{/);
    expect(css).not.toMatch(/@font-face/);
  });

  it('gives byte-identical files on two builds in a row, mimetype first and stored, every entry dated alike', async () => {
    const again = buildEpub();
    expect(again.code).toBe(0);
    expect(readFileSync(again.file).equals(bytes)).toBe(true);
    // The OCF container: the first local header is `mimetype`, method 0 (stored), holding the media type.
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    expect(bytes.readUInt16LE(8)).toBe(0);
    expect(bytes.subarray(30, 38).toString('latin1')).toBe('mimetype');
    expect(bytes.subarray(38, 58).toString('latin1')).toBe('application/epub+zip');
    const names = Object.keys(zip.files);
    expect(names.every((name) => !zip.files[name].dir)).toBe(true);
    expect(new Set(names.map((name) => zip.files[name].date.getTime())).size).toBe(1);
    expect(names.filter((name) => /[0-9a-f]{8}-[0-9a-f]{4}-/.test(name))).toEqual([]);
  });

  it('takes its dates from SOURCE_DATE_EPOCH when set, and refuses a malformed one', async () => {
    const dated = buildEpub('1767225600');
    expect(dated.code).toBe(0);
    const datedOpf = await (await JSZip.loadAsync(readFileSync(dated.file))).file('OEBPS/content.opf')!.async('string');
    expect(datedOpf).toContain('<meta property="dcterms:modified">2026-01-01T00:00:00Z</meta>');
    const bad = buildEpub('yesterday');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('SOURCE_DATE_EPOCH="yesterday" is not a number of seconds');
  });
});

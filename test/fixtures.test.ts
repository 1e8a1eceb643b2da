// Every fixture — the constructs fixture and the real documents from public repositories — built by the CLI
// to PDF, EPUB and HTML in one run; every sentence, table cell, note, link address and photo of the model
// must reach pdftotext and the EPUB, and EPUBCheck must find nothing.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { findArticles, readArticle, type Article } from '../build/model/load.ts';
import { runCli } from './helpers/cli.ts';
import { pdfImages, pdfPageTexts } from './helpers/poppler.ts';
import { htmlText } from './helpers/text.ts';

const FIXTURES = 'test/fixtures';
const EPUBCHECK = '/usr/share/java/epubcheck.jar';
/** The real documents (sources in each SOURCE.md); the weekly with remote photos goes through `import` in import.test.ts. */
const REAL = ['smart-questions', 'punctuation-marks', 'dns-troubleshooting'];
/**
 * The style guide mocks odd scripts on its line 211, two of them Hangul jamo ᄃ (U+1103) that no font on the
 * machine has: the build refuses it, naming the line. It builds as the editor would mend it, with ㄷ (U+3137).
 */
const GUIDE = path.join(FIXTURES, 'real', 'copywriting-guidelines');
const mendedGuide = path.join(mkdtempSync(path.join(tmpdir(), 'banmian-guide-')), 'copywriting-guidelines');
mkdirSync(mendedGuide);
writeFileSync(path.join(mendedGuide, 'article.md'), readFileSync(path.join(GUIDE, 'article.md'), 'utf8').replaceAll('\u1103', '\u3137'));
const inputs = [path.join(FIXTURES, 'constructs'), ...REAL.map((name) => path.join(FIXTURES, 'real', name)), mendedGuide];

/**
 * White space goes first (columns and justification put it anywhere, inside a note mark too); then note marks,
 * NFKC folds full-width forms;
 * and the bidi embedding marks pdftotext puts around right-to-left letters.
 */
const normalise = (text: string) => text.replace(/\s+/g, '').replace(/[\u2460-\u2473]|\[\d+\]|[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').normalize('NFKC');
/** A block's text in pieces that cannot be broken by a page's layout: sentences. */
const sentences = (text: string) => normalise(text).split(/(?<=[。！？；!?;])/).filter((sentence) => sentence.length > 0);

const out = mkdtempSync(path.join(tmpdir(), 'banmian-fixtures-'));
const articles: Article[] = [];

beforeAll(async () => {
  const result = runCli(['build', ...inputs, '--format', 'pdf,epub,html', '--out', out]);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.code, result.stderr).toBe(0);
  for (const source of await findArticles(inputs)) articles.push((await readArticle(source)).article);
}, 600_000);

describe.each(inputs.map((input) => [path.basename(input)]))('fixture %s', (name) => {
  const article = () => articles.find((candidate) => candidate.dir.endsWith(name) || candidate.slug === name)!;

  it('prints every sentence, cell, caption, note and link address in the PDF', () => {
    const pdf = normalise(pdfPageTexts(path.join(out, `${article().slug}.pdf`)).join(''));
    const missing = printedText(article()).flatMap(sentences).filter((sentence) => !pdf.includes(sentence));
    expect(missing).toEqual([]);
    for (const url of linkAddresses(article())) expect(pdf).toContain(normalise(url));
  });

  it('places every photo from its own pixels: no broken-image icon, never scaled (cropped to the grid at most)', () => {
    const images = pdfImages(path.join(out, `${article().slug}.pdf`));
    expect(images).toHaveLength(article().figures.length);
    // Photos may be laid out in another order than written: each finds its own image among the unused ones.
    const unused = [...images];
    for (const figure of article().figures) {
      const match = unused.findIndex((image) => (image.width === figure.width || image.height === figure.height) && Math.min(image.width / figure.width, image.height / figure.height) > 0.5);
      expect(match, `${figure.src} (${figure.width}×${figure.height}) among ${JSON.stringify(unused.map((image) => [image.width, image.height]))}`).toBeGreaterThanOrEqual(0);
      unused.splice(match, 1);
    }
  });

  it('carries every sentence and photo into the EPUB, which EPUBCheck passes', async () => {
    const file = path.join(out, `${article().slug}.epub`);
    const zip = await JSZip.loadAsync(readFileSync(file));
    const xhtml = await zip.file('OEBPS/article.xhtml')!.async('string');
    const text = normalise(htmlText(xhtml));
    expect(printedText(article()).flatMap(sentences).filter((sentence) => !text.includes(sentence))).toEqual([]);
    expect(xhtml.match(/<img /g) ?? []).toHaveLength(article().figures.length);
    const check = spawnSync('java', ['-jar', EPUBCHECK, file], { encoding: 'utf8' });
    expect(check.stdout + check.stderr).toMatch(/No errors or warnings detected|0 fatals \/ 0 errors/);
    expect(check.status).toBe(0);
  });

  it('prints every Markdown heading, the headline first', () => {
    const printed = normalise(pdfPageTexts(path.join(out, `${article().slug}.pdf`)).join(''));
    const heads = article().text.filter((block) => block.kind === 'heading' && block.place !== 'running-head').map((block) => normalise(block.printedText));
    expect(heads.filter((head) => !printed.includes(head))).toEqual([]);
    expect(printed.startsWith(normalise(article().frontMatter.title))).toBe(true);
  });

  it('writes the print HTML with the same text', () => {
    const html = normalise(htmlText(readFileSync(path.join(out, `${article().slug}.html`), 'utf8')));
    expect(printedText(article()).flatMap(sentences).filter((sentence) => !html.includes(sentence))).toEqual([]);
  });
});

it('refuses the style guide as published: two characters no font has, named at their line', () => {
  const result = runCli(['build', GUIDE, '--format', 'html', '--out', mkdtempSync(path.join(tmpdir(), 'banmian-guide-out-'))]);
  expect(result.code).toBe(1);
  expect(result.stderr.match(/copywriting-guidelines\/article\.md:211: 「ᄃ」（U\+1103）不在楷体字体中，印出来会是缺字方框/g)).toHaveLength(2);
});

it('prints the DNS section\'s footnotes, with their addresses, as notes', () => {
  const printed = normalise(pdfPageTexts(path.join(out, 'dns-troubleshooting.pdf')).join(''));
  expect(printed).toContain('参见https://www.akamai.com/blog/news/akamai-summarizes-service-disruption-resolved');
  expect(printed).toContain('参见https://en.wikipedia.org/wiki/2021_Facebook_outage');
});

/** The text of the body and the headline block, as the model says it prints. */
function printedText(article: Article): string[] {
  return article.text.filter((block) => block.place === 'body' || block.place === 'header').map((block) => block.printedText);
}

/** Absolute addresses of named links: print gives each as a note. */
function linkAddresses(article: Article): string[] {
  return article.tokens.flatMap((token) => token.children ?? [])
    .filter((token) => token.type === 'link_open' && /^https?:/.test(String(token.attrGet('href'))))
    .map((token) => decodeURI(String(token.attrGet('href'))));
}

// The print PDF of the default article, checked with poppler and pdf-lib: size, fonts, text, photos,
// metadata, outline, reproducibility, crop marks and bleed, and a visual guard on page 1.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { pageSizeMm, pdfFonts, pdfImages, pdfInfo, pdfPageTexts } from './helpers/poppler.ts';
import { DEFAULT_ARTICLE, missingSentences, normalise, sourceSentences } from './helpers/text.ts';

const SLUG = 'changsha-manufacturing-2025';
const out = mkdtempSync(path.join(tmpdir(), 'banmian-print-'));
const pdfFile = path.join(out, 'first', `${SLUG}.pdf`);

function buildPdf(dir: string, ...flags: string[]): string {
  const result = runCli(['build', DEFAULT_ARTICLE, '--format', 'pdf', '--out', path.join(out, dir), ...flags]);
  expect(result.stderr).toMatch(/^pdf {2}changsha-manufacturing-2025 [\d.]+ s$/m);
  expect(result.code).toBe(0);
  return path.join(out, dir, `${SLUG}.pdf`);
}

/** Page texts without the running head (眉线), which repeats the publication on every page. */
function bodyText(file: string): string {
  return pdfPageTexts(file).map((page) => page.split('\n').filter((line) => line.trim() !== '长沙晚报').join('\n')).join('\n');
}

beforeAll(() => {
  buildPdf('first');
});

describe('print PDF, broadsheet', () => {
  it('has the broadsheet trim size and the headline as its title', () => {
    const info = pdfInfo(pdfFile);
    const size = pageSizeMm(info);
    expect(Math.abs(size.width - 390)).toBeLessThan(2);
    expect(Math.abs(size.height - 546)).toBeLessThan(2);
    expect(info.Title).toBe('长沙制造攀「高」逐「新」');
    expect(info.Author).toBe('长沙晚报全媒体记者 朱泽寰');
    expect(info.Subject).toMatch(/^中联智慧产业城里/);
    expect(info.Keywords).toContain('制造业');
    expect(info.Tagged).toBe('yes');
  });

  it('embeds every font, and only the declared families', () => {
    const fonts = pdfFonts(pdfFile);
    expect(fonts.length).toBeGreaterThanOrEqual(3);
    for (const font of fonts) {
      expect(font.embedded, font.name).toBe(true);
      expect(font.name).toMatch(/^[A-Z]{6}\+(NotoSerifSC|NotoSansSC|NotoSerifTC|NotoSansTC|LXGWWenKai)/);
    }
  });

  it('holds every sentence of the source, captions and credits included, none twice', () => {
    const text = bodyText(pdfFile);
    expect(missingSentences(text)).toEqual([]);
    const haystack = normalise(text);
    const sentences = sourceSentences();
    // A sentence that is part of another (the byline inside a photo credit) is counted with it.
    const standalone = sentences.filter((sentence) => !sentences.some((other) => other !== sentence && other.includes(sentence)));
    for (const sentence of standalone) {
      const times = sentences.filter((other) => other === sentence).length;
      expect(haystack.split(sentence).length - 1, sentence).toBe(times);
    }
  });

  it('places the five photos at print resolution', () => {
    const images = pdfImages(pdfFile);
    expect(images).toHaveLength(5);
    for (const image of images) {
      expect(image.type).toBe('image');
      expect(image.xPpi).toBeGreaterThanOrEqual(250);
      expect(image.yPpi).toBeGreaterThanOrEqual(250);
    }
  });

  it('gives the same bytes for the same input', () => {
    const second = buildPdf('second');
    expect(readFileSync(second).equals(readFileSync(pdfFile))).toBe(true);
  });

  it('declares its language and has an outline whose entries point at real pages', async () => {
    const pdf = await PDFDocument.load(readFileSync(pdfFile));
    expect(pdf.catalog.lookup(PDFName.of('Lang'), PDFString).decodeText()).toBe('zh-CN');
    const pageRefs = pdf.getPages().map((page) => page.ref.toString());
    const titles: string[] = [];
    const visit = (ref: PDFRef | undefined) => {
      for (let item = ref && pdf.context.lookup(ref, PDFDict); item; ) {
        titles.push(item.lookup(PDFName.of('Title'), PDFHexString).decodeText());
        const dest = item.lookup(PDFName.of('Dest'), PDFArray);
        expect(pageRefs).toContain(dest.get(0).toString());
        visit(item.get(PDFName.of('First')) as PDFRef | undefined);
        const next = item.get(PDFName.of('Next')) as PDFRef | undefined;
        item = next && pdf.context.lookup(next, PDFDict);
      }
    };
    const outlines = pdf.catalog.lookup(PDFName.of('Outlines'), PDFDict);
    visit(outlines.get(PDFName.of('First')) as PDFRef);
    expect(titles).toEqual([
      '长沙制造攀「高」逐「新」',
      '梯度培育 激活企业成长新动能',
      '平台搭桥 深化五链融合促协同',
      '集群跃升 筑牢产业发展硬根基',
      '生态赋能 涵养智造创新源动力',
    ]);
  });

  it('looks like the approved page 1 (visual regression against a committed baseline)', () => {
    const baseline = path.resolve('test/baselines/broadsheet-page-1.png');
    const prefix = path.join(out, 'page');
    execFileSync('pdftoppm', ['-r', '20', '-f', '1', '-l', '1', '-png', '-singlefile', pdfFile, prefix]);
    const actual = PNG.sync.read(readFileSync(`${prefix}.png`));
    if (process.env.UPDATE_BASELINES || !existsSync(baseline)) {
      expect(process.env.CI, 'the baseline must be committed, not made in CI').toBeFalsy();
      writeFileSync(baseline, PNG.sync.write(actual));
    }
    const expected = PNG.sync.read(readFileSync(baseline));
    expect([actual.width, actual.height]).toEqual([expected.width, expected.height]);
    const differing = pixelmatch(actual.data, expected.data, null, actual.width, actual.height, { threshold: 0.2 });
    expect(differing / (actual.width * actual.height)).toBeLessThan(0.01);
  });
});

describe('print PDF options', () => {
  it('--crop-marks --bleed 3mm: a larger media box with the trim and bleed boxes set', () => {
    const file = buildPdf('marks', '--crop-marks', '--bleed', '3mm');
    const boxes = pdfInfo(file, '-box');
    const numbers = (key: string) => boxes[key].split(/\s+/).map(Number);
    const [mx0, my0, mx1, my1] = numbers('MediaBox');
    const [tx0, ty0, tx1, ty1] = numbers('TrimBox');
    const [bx0, by0, bx1, by1] = numbers('BleedBox');
    const mm = (pt: number) => (pt * 25.4) / 72;
    expect(Math.abs(mm(tx1 - tx0) - 390)).toBeLessThan(2);
    expect(Math.abs(mm(ty1 - ty0) - 546)).toBeLessThan(2);
    expect(mx1 - mx0).toBeGreaterThan(tx1 - tx0);
    expect(my1 - my0).toBeGreaterThan(ty1 - ty0);
    expect(Math.abs(mm(tx0 - bx0) - 3)).toBeLessThan(0.5);
    expect(Math.abs(mm(by1 - ty1) - 3)).toBeLessThan(0.5);
    expect(bx1 - bx0).toBeGreaterThan(tx1 - tx0);
    expect(by1 - by0).toBeGreaterThan(ty1 - ty0);
  });

  it.each([
    ['tabloid', 273, 390],
    ['a4', 210, 297],
  ])('--preset %s sets its page size and loses no text', (preset, width, height) => {
    const file = buildPdf(preset, '--preset', preset);
    const size = pageSizeMm(pdfInfo(file));
    expect(Math.abs(size.width - width)).toBeLessThan(2);
    expect(Math.abs(size.height - height)).toBeLessThan(2);
    expect(missingSentences(bodyText(file))).toEqual([]);
  });
});

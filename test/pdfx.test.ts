// The press PDF (--pdfx x4 and x1a), proven with the real tools: Ghostscript separates it into plates
// (tiffsep) to show type and rules on the black plate only, the ink limit kept and crop marks on every
// plate; qpdf opens every object to show no RGB colour is left; pdf-lib reads the PDF/X metadata.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFString } from 'pdf-lib';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_INK, DEFAULT_OUTPUT_PROFILE } from '../build/print/pdfx.ts';
import { writeArticle } from './helpers/article.ts';
import { runCli } from './helpers/cli.ts';
import { pdfFonts, pdfImages } from './helpers/poppler.ts';
import { DEFAULT_ARTICLE } from './helpers/text.ts';

const SLUG = 'changsha-manufacturing-2025';
const out = mkdtempSync(path.join(tmpdir(), 'banmian-pdfx-'));
/** Separations are rendered at this resolution: a 9 pt glyph's strokes are several pixels wide. */
const DPI = 150;
const PT_PER_MM = 72 / 25.4;

function buildPress(input: string, dir: string, ...flags: string[]): string {
  const result = runCli(['build', input, '--format', 'pdf', '--out', path.join(out, dir), ...flags]);
  expect(result.stderr, result.stderr).toMatch(/^pdf {2}\S+ [\d.]+ s$/m);
  expect(result.code).toBe(0);
  return path.join(out, dir, readdirSync(path.join(out, dir)).find((name) => name.endsWith('.pdf'))!);
}

interface Plates {
  width: number;
  height: number;
  /** Ink per pixel, 0–255, for cyan, magenta, yellow and black. */
  ink: [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
}

/** Ghostscript's tiffsep: one 8-bit plate per process colour (0 = full ink in the file). */
async function separate(file: string, page: number, ...flags: string[]): Promise<Plates> {
  const dir = mkdtempSync(path.join(tmpdir(), 'banmian-sep-'));
  execFileSync('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-sDEVICE=tiffsep', `-r${DPI}`, `-dFirstPage=${page}`, `-dLastPage=${page}`,
    ...flags, `-sOutputFile=${path.join(dir, 'p.tif')}`, file]);
  const plates = await Promise.all(['Cyan', 'Magenta', 'Yellow', 'Black'].map(async (name) => {
    const { data, info } = await sharp(path.join(dir, `p(${name}).tif`)).greyscale().raw().toBuffer({ resolveWithObject: true });
    return { data: data.map((value) => 255 - value), info };
  }));
  return { width: plates[0].info.width, height: plates[0].info.height, ink: plates.map((plate) => plate.data) as Plates['ink'] };
}

interface Box { left: number; bottom: number; right: number; top: number }

async function pageBoxes(file: string): Promise<{ media: Box; bleed: Box; trim: Box }[]> {
  const pdf = await PDFDocument.load(readFileSync(file));
  const box = (rect: { x: number; y: number; width: number; height: number }) => ({ left: rect.x, bottom: rect.y, right: rect.x + rect.width, top: rect.y + rect.height });
  return pdf.getPages().map((page) => ({ media: box(page.getMediaBox()), bleed: box(page.getBleedBox()), trim: box(page.getTrimBox()) }));
}

/** A box in PDF points → pixel rectangle of the rendering (origin top left of the media box). */
function pixels(box: Box, media: Box): { x0: number; y0: number; x1: number; y1: number } {
  const scale = DPI / 72;
  return {
    x0: Math.round((box.left - media.left) * scale), x1: Math.round((box.right - media.left) * scale),
    y0: Math.round((media.top - box.top) * scale), y1: Math.round((media.top - box.bottom) * scale),
  };
}

function* inside(plates: Plates, area: { x0: number; y0: number; x1: number; y1: number }): Generator<number> {
  for (let y = Math.max(0, area.y0); y < Math.min(plates.height, area.y1); y++) {
    for (let x = Math.max(0, area.x0); x < Math.min(plates.width, area.x1); x++) yield y * plates.width + x;
  }
}

/**
 * Every colour space of a qpdf --qdf dump that is RGB: DeviceRGB/CalRGB names, ICCBased streams with
 * three components, rg/RG operators in content streams, and three-number colours of annotations.
 */
function rgbLeft(file: string): string[] {
  const qdf = path.join(mkdtempSync(path.join(tmpdir(), 'banmian-qdf-')), 'q.pdf');
  execFileSync('qpdf', ['--qdf', '--object-streams=disable', file, qdf]);
  const text = readFileSync(qdf).toString('latin1');
  const objects = new Map<string, string>();
  for (const match of text.matchAll(/^(\d+) 0 obj\n([\s\S]*?)^endobj$/gm)) objects.set(match[1], match[2]);
  const found: string[] = [];
  for (const [id, body] of objects) {
    const [dict, stream = ''] = body.split(/^stream\n/m);
    const flat = dict.replace(/\s+/g, ' ');
    if (/\/(DeviceRGB|CalRGB)\b/.test(flat)) found.push(`${id}: ${flat.match(/\/(DeviceRGB|CalRGB)/)![0]}`);
    for (const icc of flat.matchAll(/\/ICCBased (\d+) 0 R/g)) {
      if (/\/N 3\b/.test(objects.get(icc[1]) ?? '')) found.push(`${id}: ICCBased ${icc[1]} with 3 components`);
    }
    if (/\/Annot\b/.test(flat) && /\/C \[ ?[\d.]+ [\d.]+ [\d.]+ ?\]/.test(flat)) found.push(`${id}: RGB annotation colour`);
    const isContent = /%% Contents for page/.test(body) || /\/Subtype \/Form/.test(flat);
    if (isContent && /(^|\s)(rg|RG)(\s|$)/m.test(stream.split(/^endstream$/m)[0])) found.push(`${id}: rg/RG operator`);
    if (isContent && /\/CS \/RGB\b/.test(stream)) found.push(`${id}: RGB inline image`);
  }
  return found;
}

/** A PDF's text as poppler extracts it (what a search or a copy gets), white space aside. */
const textOf = (file: string) => execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-']).toString().replace(/\s+/g, '');

const x4 = () => path.join(out, 'x4', `${SLUG}.pdf`);
const x1a = () => path.join(out, 'x1a', `${SLUG}.pdf`);
let bigPhoto: string;

beforeAll(async () => {
  buildPress(DEFAULT_ARTICLE, 'proof');
  buildPress(DEFAULT_ARTICLE, 'x4', '--pdfx', 'x4');
  buildPress(DEFAULT_ARTICLE, 'x1a', '--pdfx', 'x1a');
  // A 5000 × 5000 photo over 2 of 8 columns: far above the 450 ppi ceiling at its placed size.
  // Hues all round the wheel, fading to black, with grain so JPEG cannot shrink it away.
  const n = 5000;
  const raw = Buffer.alloc(n * n * 3);
  let seed = 1;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const shade = y < 0.8 * n ? 1 - y / n : 0;
      for (let c = 0; c < 3; c++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const grain = (seed / 0x7fffffff - 0.5) * 16;
        raw[(y * n + x) * 3 + c] = Math.max(0, Math.min(255, 255 * shade * (0.5 + 0.5 * Math.sin((x / n) * 2 * Math.PI + c * 2.1)) + grain));
      }
    }
  }
  const photo = await sharp(raw, { raw: { width: n, height: n, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
  const dir = writeArticle('title: 大图测试\nbyline: 测试', '![一张五千像素见方的照片](images/big.jpg){cols=2}\n图片说明。\n测试 摄\n\n正文一段。\n', { 'images/big.jpg': photo });
  bigPhoto = buildPress(dir, 'big', '--pdfx', 'x4');
});

describe.each([['x4', x4, 'PDF/X-4', '1.6'], ['x1a', x1a, 'PDF/X-1a:2003', '1.3']])('press PDF --pdfx %s', (_, file, version, header) => {
  it('has text and rules on the black plate only: C = M = Y = 0 wherever type and vectors print', async () => {
    const boxes = await pageBoxes(file());
    for (const [index, { media, bleed }] of boxes.entries()) {
      // Photos filtered out: what is left is type, rules and marks; the marks (outside the bleed) are all plates.
      const plates = await separate(file(), index + 1, '-dFILTERIMAGE');
      let black = 0;
      for (const i of inside(plates, pixels(bleed, media))) {
        if (plates.ink[3][i] > 0) black++;
        if (plates.ink[0][i] || plates.ink[1][i] || plates.ink[2][i]) throw new Error(`page ${index + 1}: colour ink at pixel ${i % plates.width},${Math.floor(i / plates.width)}`);
      }
      // The balanced last page may hold only a few columns of type: enough black to be text, not a speck.
      expect(black, `page ${index + 1} has type on the black plate`).toBeGreaterThan(10_000);
    }
  });

  it(`keeps the total ink of every pixel within ${DEFAULT_MAX_INK} % (+2 %)`, async () => {
    const boxes = await pageBoxes(file());
    for (const [index, { media, bleed }] of boxes.entries()) {
      const plates = await separate(file(), index + 1);
      let max = 0;
      for (const i of inside(plates, pixels(bleed, media))) max = Math.max(max, plates.ink[0][i] + plates.ink[1][i] + plates.ink[2][i] + plates.ink[3][i]);
      expect((max / 255) * 100).toBeLessThanOrEqual(DEFAULT_MAX_INK * 1.02);
    }
  });

  it('draws ~10 mm crop marks on all four plates, outside the bleed, with nothing in the bleed corners', async () => {
    const [{ media, bleed, trim }] = await pageBoxes(file());
    const plates = await separate(file(), 1);
    const offset = trim.left - bleed.left;
    // The middle of each corner's horizontal mark, and the corners of the bleed area outside the trim.
    for (const [x, y] of [[trim.left - offset - 5 * PT_PER_MM, trim.top], [trim.right + offset + 5 * PT_PER_MM, trim.top],
      [trim.left - offset - 5 * PT_PER_MM, trim.bottom], [trim.right + offset + 5 * PT_PER_MM, trim.bottom]]) {
      const area = pixels({ left: x - 1, right: x + 1, bottom: y - 1, top: y + 1 }, media);
      for (const plate of plates.ink) expect(Math.max(...[...inside(plates, area)].map((i) => plate[i]))).toBe(255);
    }
    for (const corner of [{ left: bleed.left, right: trim.left, bottom: trim.top, top: bleed.top }, { left: trim.right, right: bleed.right, bottom: bleed.bottom, top: trim.bottom }]) {
      for (const plate of plates.ink) expect(Math.max(0, ...[...inside(plates, pixels(corner, media))].map((i) => plate[i]))).toBe(0);
    }
  });

  it('nests MediaBox ⊃ BleedBox ⊃ TrimBox, with a slug for the marks', async () => {
    for (const { media, bleed, trim } of await pageBoxes(file())) {
      expect(trim.left - bleed.left).toBeCloseTo(3 * PT_PER_MM, 1);
      expect(bleed.left - media.left).toBeGreaterThan(10 * PT_PER_MM);
      for (const side of ['left', 'bottom'] as const) expect(media[side] < bleed[side] && bleed[side] < trim[side]).toBe(true);
      for (const side of ['right', 'top'] as const) expect(media[side] > bleed[side] && bleed[side] > trim[side]).toBe(true);
    }
  });

  it('leaves no RGB colour space in any content stream, image or annotation', () => {
    expect(rgbLeft(file())).toEqual([]);
  });

  it('keeps the text as the proof has it, every character searchable (Ghostscript\'s own Unicode maps are not kept)', () => {
    expect(textOf(file())).toBe(textOf(path.join(out, 'proof', `${SLUG}.pdf`)));
  });

  it(`declares ${version}: output intent with the embedded profile, GTS_PDFXVersion, Trapped, XMP`, async () => {
    const bytes = readFileSync(file());
    expect(bytes.subarray(0, 8).toString()).toBe(`%PDF-${header}`);
    const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
    const [intent] = pdf.catalog.lookup(PDFName.of('OutputIntents'), PDFArray).asArray().map((ref) => pdf.context.lookup(ref, PDFDict));
    expect(intent.get(PDFName.of('S'))).toBe(PDFName.of('GTS_PDFX'));
    expect(intent.lookup(PDFName.of('OutputCondition'), PDFString).decodeText()).toBe('Artifex CMYK SWOP Profile');
    const profile = pdf.context.lookup(intent.get(PDFName.of('DestOutputProfile'))) as PDFRawStream;
    expect(profile.dict.get(PDFName.of('N'))?.toString()).toBe('4');
    expect(Buffer.from(inflateSync(profile.contents)).equals(readFileSync(DEFAULT_OUTPUT_PROFILE))).toBe(true);
    const info = pdf.context.lookup(pdf.context.trailerInfo.Info, PDFDict);
    expect(info.lookup(PDFName.of('GTS_PDFXVersion'), PDFString).decodeText()).toBe(version);
    expect(info.get(PDFName.of('Trapped'))).toBe(PDFName.of('False'));
    expect(pdf.getTitle()).toBe('长沙制造攀「高」逐「新」');
    const xmp = Buffer.from((pdf.context.lookup(pdf.catalog.get(PDFName.of('Metadata'))) as PDFRawStream).contents).toString('utf8');
    expect(xmp).toContain(`GTS_PDFXVersion>${version}<`);
    expect(xmp).toContain('<rdf:li xml:lang="x-default">长沙制造攀「高」逐「新」</rdf:li>');
    expect(xmp).toContain('<pdf:Trapped>False</pdf:Trapped>');
    for (const font of pdfFonts(file())) expect(font.embedded, font.name).toBe(true);
  });
});

/** Transparency left anywhere in the file: soft masks, transparency groups, alpha constants, blend modes. */
function expectNoTransparency(file: string): void {
  const qdf = `${file}.qdf.pdf`;
  execFileSync('qpdf', ['--qdf', '--object-streams=disable', file, qdf]);
  const text = readFileSync(qdf).toString('latin1').replace(/\s+/g, ' ');
  expect(text).not.toMatch(/\/SMask (?!\/None)/);
  expect(text).not.toMatch(/\/S \/Transparency/);
  expect(text).not.toMatch(/\/(CA|ca) (0?\.\d+|0)\b/);
  expect(text).not.toMatch(/\/BM \/(?!Normal|Compatible)/);
}

describe('press PDF --pdfx x1a', () => {
  it('uses no transparency', () => {
    expectNoTransparency(x1a());
  });

  it('composites a transparent PNG over the paper instead of flattening the page, so type stays on black only', async () => {
    // Left half transparent, right half a saturated orange.
    const [width, height] = [900, 600];
    const raw = Buffer.alloc(width * height * 4);
    for (let i = 0; i < width * height; i++) raw.set([230, 120, 20, i % width < width / 2 ? 0 : 255], i * 4);
    const png = await sharp(raw, { raw: { width, height, channels: 4 } }).png().toBuffer();
    const dir = writeArticle('title: 透明图测试\nbyline: 测试', '正文一段。\n\n![透明的图](images/a.png){cols=2}\n图片说明。\n测试 摄\n\n正文二段。\n', { 'images/a.png': png });
    const file = buildPress(dir, 'x1a-png', '--pdfx', 'x1a');
    expectNoTransparency(file);
    // The photo stays a photo of its own size: the page was not rendered into one image.
    expect(pdfImages(file).map(({ type, width: w, height: h }) => [type, w, h])).toEqual([['image', width, height]]);
    const [{ media, bleed }] = await pageBoxes(file);
    const text = await separate(file, 1, '-dFILTERIMAGE');
    for (const i of inside(text, pixels(bleed, media))) {
      if (text.ink[0][i] || text.ink[1][i] || text.ink[2][i]) throw new Error(`colour ink in type or rules at pixel ${i}`);
    }
    // Where the PNG is transparent the paper shows: no ink in the photo's left half, ink in its right half.
    const plates = await separate(file, 1);
    const inkAt = (i: number) => plates.ink[0][i] + plates.ink[1][i] + plates.ink[2][i] + plates.ink[3][i];
    const photo = [...inside(plates, pixels(bleed, media))].filter((i) => plates.ink[1][i] > 100);
    const columns = photo.map((i) => i % plates.width);
    const [left, right] = [Math.min(...columns), Math.max(...columns)];
    // The coloured right half spans some columns; the transparent half, as wide, sits to its left with no ink.
    const row = Math.floor(photo[Math.floor(photo.length / 2)] / plates.width);
    for (let x = left - Math.floor((right - left) * 0.9); x < left - 2; x++) expect(inkAt(row * plates.width + x), `x ${x}`).toBe(0);
  });
});

describe('press PDF --pdfx x4 with a transparent PNG beside JPEGs', () => {
  it('separates the PNG before Ghostscript, keeping its mask, and swaps each JPEG in for its stub', async () => {
    const [width, height] = [600, 400];
    const rgba = Buffer.alloc(width * height * 4);
    for (let i = 0; i < width * height; i++) rgba.set([30, 140, 220, i % width < width / 2 ? 0 : 255], i * 4);
    const png = await sharp(rgba, { raw: { width, height, channels: 4 } }).png().toBuffer();
    const jpeg = (hue: number[]) => sharp({ create: { width: 800, height: 533, channels: 3, background: { r: hue[0], g: hue[1], b: hue[2] } } }).jpeg().toBuffer();
    const dir = writeArticle('title: 混合图片\nbyline: 测试', [
      '正文一段。', '![透明的图](images/a.png){cols=2}\n图片说明一。\n测试 摄',
      '正文二段。', '![红色](images/red.jpg){cols=3}\n图片说明二。\n测试 摄',
      '正文三段。', '![绿色](images/green.jpg){cols=2}\n图片说明三。\n测试 摄', '正文四段。',
    ].join('\n\n') + '\n', { 'images/a.png': png, 'images/red.jpg': await jpeg([200, 30, 30]), 'images/green.jpg': await jpeg([30, 160, 60]) });
    const file = buildPress(dir, 'x4-mixed', '--pdfx', 'x4');
    const images = pdfImages(file);
    // Three photos in CMYK (no stub left: every one has its own size), the PNG's mask as a grey soft mask.
    expect(images.filter(({ type }) => type === 'image').map(({ color }) => color)).toEqual(['cmyk', 'cmyk', 'cmyk']);
    expect(images.filter(({ type }) => type === 'image').some(({ width: w }) => w === 11)).toBe(false);
    expect(images.filter(({ type }) => type === 'smask').map(({ width: w, height: h }) => [w, h])).toEqual([[width, height]]);
    expect(rgbLeft(file)).toEqual([]);
    // Each JPEG prints its own colour: red is magenta + yellow, green is cyan + yellow.
    const plates = await separate(file, 1);
    const [{ media, bleed }] = await pageBoxes(file);
    const cells = [...inside(plates, pixels(bleed, media))];
    const red = cells.filter((i) => plates.ink[1][i] > 150 && plates.ink[2][i] > 150 && plates.ink[0][i] < 60);
    const green = cells.filter((i) => plates.ink[0][i] > 150 && plates.ink[2][i] > 150 && plates.ink[1][i] < 100);
    expect(red.length).toBeGreaterThan(1000);
    expect(green.length).toBeGreaterThan(1000);
  });
});

describe('press PDF of a manuscript with footnotes, a table, Latin runs and photos named in Chinese', () => {
  it('keeps the proof\'s text in X-4 and X-1a', () => {
    const fixture = path.join(import.meta.dirname, 'fixtures/constructs');
    const proof = textOf(buildPress(fixture, 'constructs-proof'));
    expect(proof.length).toBeGreaterThan(400);
    expect(textOf(buildPress(fixture, 'constructs-x4', '--pdfx', 'x4'))).toBe(proof);
    expect(textOf(buildPress(fixture, 'constructs-x1a', '--pdfx', 'x1a'))).toBe(proof);
  });
});

describe('press PDF of a 5000 × 5000 photo', () => {
  it('downsamples the photo to at most 450 ppi and stays under 3 MB', async () => {
    const [image] = pdfImages(bigPhoto);
    // As placed, the 5000 px would print at 5000 / (placed width in inches) ppi: above the ceiling.
    expect((5000 * image.xPpi) / image.width).toBeGreaterThan(450);
    expect(image.xPpi).toBeLessThanOrEqual(450);
    expect(image.xPpi).toBeGreaterThanOrEqual(299);
    expect(readFileSync(bigPhoto).length).toBeLessThan(3_000_000);
  });

  it(`limits the photo's total ink to ${DEFAULT_MAX_INK} % (+2 %), where it would print ~300 % unlimited`, async () => {
    const [{ media, bleed }] = await pageBoxes(bigPhoto);
    const plates = await separate(bigPhoto, 1);
    let max = 0;
    for (const i of inside(plates, pixels(bleed, media))) max = Math.max(max, plates.ink[0][i] + plates.ink[1][i] + plates.ink[2][i] + plates.ink[3][i]);
    expect((max / 255) * 100).toBeLessThanOrEqual(DEFAULT_MAX_INK * 1.02);
    expect((max / 255) * 100).toBeGreaterThan(DEFAULT_MAX_INK - 10);
  });
});

describe('press PDF with the press\'s own profile and ink limit', () => {
  it('embeds and names the given profile, and keeps the given limit', async () => {
    const profile = path.join(path.dirname(DEFAULT_OUTPUT_PROFILE), 'ps_cmyk.icc');
    const raw = Buffer.alloc(1200 * 800 * 3);
    // Black on the left, fading smoothly into a deep red on the right.
    for (let i = 0; i < raw.length; i += 3) raw.set([Math.round((200 * ((i / 3) % 1200)) / 1200), 0, Math.round((60 * ((i / 3) % 1200)) / 1200)], i);
    const photo = await sharp(raw, { raw: { width: 1200, height: 800, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
    const dir = writeArticle('title: 自定义印刷条件\nbyline: 测试', '![暗色照片](images/dark.jpg){cols=2}\n图片说明。\n测试 摄\n\n正文一段。\n', { 'images/dark.jpg': photo });
    const file = buildPress(dir, 'own-profile', '--pdfx', 'x1a', '--output-profile', profile, '--max-ink', '200');
    const pdf = await PDFDocument.load(readFileSync(file), { updateMetadata: false });
    const [intent] = pdf.catalog.lookup(PDFName.of('OutputIntents'), PDFArray).asArray().map((ref) => pdf.context.lookup(ref, PDFDict));
    expect(intent.lookup(PDFName.of('OutputCondition'), PDFString).decodeText()).toBe('Artifex PS CMYK Profile');
    const embedded = pdf.context.lookup(intent.get(PDFName.of('DestOutputProfile'))) as PDFRawStream;
    expect(Buffer.from(inflateSync(embedded.contents)).equals(readFileSync(profile))).toBe(true);
    const [{ media, bleed }] = await pageBoxes(file);
    const plates = await separate(file, 1);
    let max = 0;
    for (const i of inside(plates, pixels(bleed, media))) max = Math.max(max, plates.ink[0][i] + plates.ink[1][i] + plates.ink[2][i] + plates.ink[3][i]);
    expect((max / 255) * 100).toBeLessThanOrEqual(200 * 1.02);
    expect((max / 255) * 100).toBeGreaterThan(180);
  });

  it('refuses a profile that is not a CMYK printer profile, and bad options, before rendering', () => {
    const srgb = runCli(['build', DEFAULT_ARTICLE, '--format', 'pdf', '--out', path.join(out, 'refused'), '--pdfx', 'x4', '--output-profile', path.join(path.dirname(DEFAULT_OUTPUT_PROFILE), 'srgb.icc')]);
    expect(srgb.code).toBe(1);
    expect(srgb.stderr).toMatch(/srgb\.icc: the output profile is a mntr profile in RGB, not a CMYK printer profile/);
    for (const flags of [['--pdfx', 'x3'], ['--pdfx', 'x4', '--max-ink', '50'], ['--max-ink', '240']]) {
      const result = runCli(['build', DEFAULT_ARTICLE, '--format', 'pdf', '--out', path.join(out, 'refused'), ...flags]);
      expect(result.code, flags.join(' ')).toBe(2);
      expect(result.stderr).not.toMatch(/^pdf /m);
    }
  });
});

describe('press PDF reproducibility', () => {
  it('writes the same bytes for the same input', () => {
    expect(readFileSync(buildPress(DEFAULT_ARTICLE, 'x4-again', '--pdfx', 'x4')).equals(readFileSync(x4()))).toBe(true);
  });
});

describe('check --pdfx: press preflight of the photos', () => {
  it('warns of a CMYK photo (with its ink against the limit) and of one tagged with a profile other than sRGB, and passes an sRGB photo', async () => {
    const pixels = { raw: { width: 900, height: 600, channels: 3 as const } };
    const raw = Buffer.alloc(900 * 600 * 3, 128);
    // Near-black separated by Little CMS without a limit: rich black, far above newsprint's 240 %.
    const work = mkdtempSync(path.join(tmpdir(), 'banmian-cmyk-'));
    await sharp(Buffer.alloc(900 * 600 * 3, 8), pixels).tiff({ compression: 'none' }).toFile(path.join(work, 'rgb.tif'));
    execFileSync('tificc', [`-o${DEFAULT_OUTPUT_PROFILE}`, path.join(work, 'rgb.tif'), path.join(work, 'cmyk.tif')], { stdio: 'ignore' });
    const files = {
      'images/cmyk.jpg': await sharp(path.join(work, 'cmyk.tif')).pipelineColourspace('cmyk').toColourspace('cmyk').jpeg().toBuffer(),
      'images/p3.jpg': await sharp(raw, pixels).withIccProfile('p3').jpeg().toBuffer(),
      'images/srgb.jpg': await sharp(raw, pixels).withIccProfile('srgb').jpeg().toBuffer(),
    };
    const figure = (name: string) => `![${name} 照片](images/${name}.jpg){cols=1}\n${name} 图片说明。\n测试 摄\n`;
    const dir = writeArticle('title: 印前检查\nbyline: 测试', `正文一段。\n\n${figure('cmyk')}\n${figure('p3')}\n${figure('srgb')}`, files);
    const findings = (flags: string[]) => JSON.parse(runCli(['check', dir, '--json', ...flags]).stdout) as { rule: string; line: number; message: string }[];
    const press = findings(['--pdfx', 'x4']).filter((finding) => finding.rule === 'press-preflight');
    expect(press.map((finding) => finding.message.split(' ')[0])).toEqual(['images/cmyk.jpg', 'images/p3.jpg']);
    const [, ink] = /最高总墨量 (\d+)%，超过印刷上限 240%/.exec(press[0].message) ?? [];
    expect(Number(ink)).toBeGreaterThan(280);
    expect(press[1].message).toMatch(/色彩特性是 .*P3/);
    // Against a limit the photo keeps, its ink is still given, not called over.
    const [lenient] = findings(['--pdfx', 'x4', '--max-ink', '400']).filter((finding) => finding.rule === 'press-preflight');
    expect(lenient.message).toContain(`最高总墨量 ${ink}%：`);
    expect(findings([]).filter((finding) => finding.rule === 'press-preflight')).toEqual([]);
  });
});

// The press stage's photo separation (build/print/press-photos.ts) on PDFs made here with pdf-lib: each photo
// resampled for its placed size, separated through a real Little CMS device link, written back as DeviceCMYK
// (JPEG as JPEG unless it would ring past the ink limit, lossless as lossless) and kept for the next run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDocument, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { GHOSTSCRIPT_ICC_DIR } from '../build/print/press-tools.ts';
import { DEFAULT_OUTPUT_PROFILE } from '../build/print/pdfx.ts';
import { listPlacements, startSeparations, stubPhotos, type EarlySeparations, type PhotoSeparation } from '../build/print/press-photos.ts';
import { pdfImages } from './helpers/poppler.ts';

const work = mkdtempSync(path.join(tmpdir(), 'banmian-press-photos-'));
const link = path.join(work, 'link.icc');
execFileSync('linkicc', ['-t', '0', '-k', '235', '-o', link, path.join(GHOSTSCRIPT_ICC_DIR, 'srgb.icc'), DEFAULT_OUTPUT_PROFILE], { stdio: 'ignore' });
// A fresh identity per run of this file: every separation below is made, not read from an earlier run.
const options: PhotoSeparation = { link, linkIdentity: `test ${work}`, maxInk: 240, ppi: 300, threshold: 1.5, quality: 96, work };

/** Saturated colours with grain: about 300 % ink unlimited. */
async function photo(width: number, height: number, format: 'jpeg' | 'png'): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) raw.set([(i * 7) % 60, 10 + ((i * 13) % 40), 90 + ((i >> 4) % 40)], i * 3);
  const image = sharp(raw, { raw: { width, height, channels: 3 } });
  // The PNG's left half is transparent: a soft mask in the PDF.
  const alpha = Buffer.alloc(width * height);
  for (let i = 0; i < width * height; i++) alpha[i] = i % width < width / 2 ? 0 : 255;
  return format === 'jpeg' ? image.jpeg({ quality: 90 }).toBuffer() : image.joinChannel(alpha, { raw: { width, height, channels: 1 } }).png().toBuffer();
}

/** A one-page PDF with the image drawn `inches` wide. */
async function placed(bytes: Buffer, format: 'jpeg' | 'png', inches: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const image = format === 'jpeg' ? await pdf.embedJpg(bytes) : await pdf.embedPng(bytes);
  const page = pdf.addPage([600, 600]);
  page.drawImage(image, { x: 10, y: 10, width: inches * 72, height: (inches * 72 * image.height) / image.width });
  return pdf.save({ useObjectStreams: false });
}

async function images(pdf: Uint8Array): Promise<PDFRawStream[]> {
  const document = await PDFDocument.load(pdf);
  return document.context.enumerateIndirectObjects()
    .map(([, object]) => object)
    .filter((object): object is PDFRawStream => object instanceof PDFRawStream && object.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'));
}

function highestInk(cmyk: Uint8Array): number {
  let highest = 0;
  for (let i = 0; i < cmyk.length; i += 4) highest = Math.max(highest, cmyk[i] + cmyk[i + 1] + cmyk[i + 2] + cmyk[i + 3]);
  return (highest / 255) * 100;
}

/**
 * A JPEG file `width` × `height` the make-up plan placed `inches` wide, separated early under its own identity
 * (in `work` unless another folder is given); resolves once that separation has ended.
 */
async function plannedEarly(name: string, [width, height]: [number, number], inches: number, work = options.work) {
  const jpeg = await photo(width, height, 'jpeg');
  const file = path.join(options.work, `${name}.jpg`);
  writeFileSync(file, jpeg);
  const early: EarlySeparations = { ppi: new Map(), running: new Map() };
  const identity = { ...options, work, linkIdentity: `${options.linkIdentity} ${name}` };
  await startSeparations([{ file, width: inches * 96, height: (inches * 96 * height) / width }], identity, early).done;
  return { jpeg, early, identity };
}

/** The photos of `pdf` separated in place: the press stage's stubbing and swapping, without Ghostscript between. */
async function separatePhotos(pdf: Uint8Array, options: PhotoSeparation, early?: EarlySeparations): Promise<Uint8Array> {
  const document = await PDFDocument.load(pdf, { updateMetadata: false });
  const stubs = await stubPhotos(document, await listPlacements(pdf, options), options, early);
  await stubs.swapIn(document);
  return document.save({ useObjectStreams: false });
}

describe('separatePhotos', () => {
  it('resamples a photo placed far above 450 ppi to 300 ppi and writes it as a CMYK JPEG within the ink limit', async () => {
    // 1800 px over 2 inches: 900 ppi as placed.
    const separated = await separatePhotos(await placed(await photo(1800, 1200, 'jpeg'), 'jpeg', 2), options);
    const [image] = await images(separated);
    expect(image.dict.get(PDFName.of('ColorSpace'))).toBe(PDFName.of('DeviceCMYK'));
    expect(image.dict.get(PDFName.of('Filter'))).toBe(PDFName.of('DCTDecode'));
    expect(image.dict.get(PDFName.of('Width'))?.toString()).toBe('600');
    const file = path.join(work, 'resampled.pdf');
    writeFileSync(file, separated);
    expect(pdfImages(file).map(({ type, xPpi }) => [type, xPpi])).toEqual([['image', 300]]);
    // The samples are inverted behind the Adobe marker; /Decode turns them back, as Ghostscript renders them.
    expect(image.dict.lookup(PDFName.of('Decode'), PDFArray).asArray().map(String)).toEqual(['1', '0', '1', '0', '1', '0', '1', '0']);
    const cmyk = await sharp(image.contents).pipelineColourspace('cmyk').toColourspace('cmyk').raw().toBuffer();
    expect(highestInk(cmyk)).toBeLessThanOrEqual(240 * 1.02);
    expect(highestInk(cmyk)).toBeGreaterThan(220);
  });

  it('keeps a lossless photo lossless and its transparency, and never enlarges a photo', async () => {
    const separated = await separatePhotos(await placed(await photo(300, 200, 'png'), 'png', 4), options);
    const [image] = (await images(separated)).filter((stream) => stream.dict.get(PDFName.of('ColorSpace')) === PDFName.of('DeviceCMYK'));
    expect(image.dict.get(PDFName.of('Filter'))).toBe(PDFName.of('FlateDecode'));
    expect(image.dict.get(PDFName.of('Width'))?.toString()).toBe('300');
    expect(image.dict.get(PDFName.of('SMask'))).toBeInstanceOf(PDFRef);
    const samples = inflateSync(image.contents);
    expect(samples.length).toBe(300 * 200 * 4);
    expect(highestInk(samples)).toBeLessThanOrEqual(240);
  });

  it('writes a JPEG photo lossless when its JPEG would ring past the limit', async () => {
    // The same link aims at 235 %: against a limit of 200 % every JPEG fails the check, so the photo goes lossless.
    const separated = await separatePhotos(await placed(await photo(400, 300, 'jpeg'), 'jpeg', 2), { ...options, maxInk: 200, linkIdentity: `${options.linkIdentity} 200` });
    const [image] = await images(separated);
    expect(image.dict.get(PDFName.of('Filter'))).toBe(PDFName.of('FlateDecode'));
    expect(image.dict.get(PDFName.of('ColorSpace'))).toBe(PDFName.of('DeviceCMYK'));
  });

  it('gives the same bytes from its kept separations as when it made them', async () => {
    const pdf = await placed(await photo(900, 600, 'jpeg'), 'jpeg', 3);
    const identity = { ...options, linkIdentity: `${options.linkIdentity} again` };
    const made = await separatePhotos(pdf, identity);
    const kept = await separatePhotos(pdf, identity);
    expect(Buffer.from(kept).equals(Buffer.from(made))).toBe(true);
    // A different device link (another identity) is not served from the first one's separations.
    const [other] = await images(await separatePhotos(pdf, { ...identity, linkIdentity: 'another link', maxInk: 200 }));
    expect(other.dict.get(PDFName.of('Filter'))).toBe(PDFName.of('FlateDecode'));
  });

  it('separates a JPEG the plan has sized before the PDF exists, and the PDF then takes that separation', async () => {
    // Planned 2 inches wide: 900 ppi, to be printed at 300.
    const { jpeg, early, identity } = await plannedEarly('planned', [1800, 1200], 2, mkdtempSync(path.join(work, 'early-')));
    const madeEarly = readdirSync(identity.work);
    expect(madeEarly.some((name) => name.startsWith('planned-') && name.endsWith('-cmyk.tif'))).toBe(true);
    // One PDF for both: pdf-lib dates each PDF it creates, so two made a second apart differ.
    const pdf = await placed(jpeg, 'jpeg', 2);
    const fromPlan = await separatePhotos(pdf, identity, early);
    // Nothing was separated from the PDF: the plan's separation was taken.
    expect(readdirSync(identity.work).filter((name) => name.endsWith('.tif'))).toEqual(madeEarly.filter((name) => name.endsWith('.tif')));
    const alone = await separatePhotos(pdf, { ...options, linkIdentity: `${options.linkIdentity} alone` });
    expect(Buffer.from(fromPlan).equals(Buffer.from(alone))).toBe(true);
    const [image] = await images(fromPlan);
    expect(image.dict.get(PDFName.of('Width'))?.toString()).toBe('600');
  });

  it('follows the PDF where it prints a planned photo at another size than the plan gave', async () => {
    // Planned 1 inch wide (1500 ppi), printed 5 inches wide (300 ppi): kept at its own 1500 pixels.
    const { jpeg, early, identity } = await plannedEarly('moved', [1500, 1000], 1);
    const [image] = await images(await separatePhotos(await placed(jpeg, 'jpeg', 5), identity, early));
    expect(image.dict.get(PDFName.of('Width'))?.toString()).toBe('1500');
  });

  it('takes the plan\'s resolution over poppler\'s rounded one, so the early separation is the one used', async () => {
    // 450.6 ppi as planned; `pdfimages -list` prints 451. At 450.6 the photo is 666 pixels wide at 300 ppi, at 451 it would be 665.
    const { jpeg, early, identity } = await plannedEarly('rounded', [1000, 600], 1000 / 450.6);
    const pdf = await placed(jpeg, 'jpeg', 1000 / 450.6);
    const listing = path.join(work, 'rounded.pdf');
    writeFileSync(listing, pdf);
    expect(pdfImages(listing).map(({ xPpi }) => xPpi)).toEqual([451]);
    const [image] = await images(await separatePhotos(pdf, identity, early));
    expect(image.dict.get(PDFName.of('Width'))?.toString()).toBe('666');
  });
});

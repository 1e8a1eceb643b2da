// The photos of the press PDF, separated before Ghostscript sees them. Ghostscript's pdfwrite converts
// images at ~5 megapixels a second and, choosing JPEG or lossless per image, twice over; Little CMS's
// `tificc` runs the same ink-limited device link over a photo in a tenth of a second. So every RGB photo
// of the proof is decoded (sharp), downsampled to the press resolution when it is placed far above it,
// separated through the device link (tificc) and put back as DeviceCMYK — a photo that came as JPEG as a
// JPEG, a lossless one lossless — and Ghostscript then only passes the photos through. A separation is
// kept by content (photo bytes, device link, size, quality): a corrected article goes back to press without
// separating its photos again. The JPEG photos the make-up plan has sized are separated early, while
// Chromium paginates (`startSeparations`): Chromium puts a JPEG into the PDF byte for byte, so the PDF's
// photo is then found by its bytes, and the plan's size is used when the PDF shows the photo printed at it.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, inflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef } from 'pdf-lib';
import { UserError } from '../errors.ts';
import { writeFileAtomic } from '../output/write.ts';
import { inPool } from '../pool.ts';
import { CACHE_DIR } from './document.ts';
import { runTool } from './press-tools.ts';
import { highestInk } from './ink.ts';

/** A photo's placement as poppler reads it: the lowest resolution it is printed at, in pixels per inch. */
export interface Placement {
  ref: PDFRef;
  ppi: number;
}

export interface PhotoSeparation {
  /** The ink-limited device link from sRGB to the output profile (made by `linkicc`). */
  link: string;
  /** What the link is made of (its arguments, the output profile's digest): the file itself carries its creation time. */
  linkIdentity: string;
  /** Highest total ink, in per cent; a JPEG that rings above it (plus 2 %) is kept lossless instead. */
  maxInk: number;
  /** Photos are resampled to `ppi` when placed at more than `threshold` times it; never enlarged. */
  ppi: number;
  threshold: number;
  /** JPEG quality of the separated photos (1–100). */
  quality: number;
  /** A folder for the intermediate TIFF files. */
  work: string;
  /**
   * PDF/X-1a allows no transparency (Ghostscript would flatten the whole page, type included, into one
   * image): a photo's soft mask is then composited over the white paper before it is separated.
   */
  opaque?: boolean;
  signal?: AbortSignal;
}

/**
 * What made a kept separation besides its inputs: this module's own code and the image library's version,
 * so a separation made by older code is never reused.
 */
let maker: Promise<string> | undefined;
const makerIdentity = () => maker ??= (async () => {
  const { default: sharp } = await import('sharp');
  return JSON.stringify([createHash('sha256').update(await readFile(fileURLToPath(import.meta.url))).digest('hex'), sharp.versions]);
})();

/** How much the total ink of a JPEG may exceed the limit before the photo is written lossless instead. */
const JPEG_INK_TOLERANCE = 1.02;
/** `pdfimages -list` prints whole pixels per inch, rounded up or down: a planned resolution this close is the same placement. */
const PPI_TOLERANCE = 1;

/** A photo as the make-up plan placed it: its file and its size on the page in CSS pixels (96 to the inch). */
export interface PlannedPhoto {
  file: string;
  width: number;
  height: number;
}

/** Separations started from the plan: the planned resolution of each photo (by the digest of its bytes) and the work under way. */
export interface EarlySeparations {
  ppi: Map<string, number>;
  running: Map<string, Promise<Separated>>;
}

const digestOf = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Starts separating the plan's JPEG photos at the size they are planned at, two at a time. `sized` resolves
 * once each photo's planned resolution is in `early.ppi`; `done` once all are separated or have failed (a
 * failed one is separated again from the PDF, where its error is reported). Other formats wait for the PDF:
 * Chromium re-encodes them.
 */
export function startSeparations(photos: PlannedPhoto[], options: PhotoSeparation, early: EarlySeparations): { sized: Promise<void>; done: Promise<void> } {
  const planned = (async () => {
    const { default: sharp } = await import('sharp');
    return Promise.all(photos.map(async (photo) => {
      const contents = await readFile(photo.file).catch(() => undefined);
      const meta = contents && contents[0] === 0xff && contents[1] === 0xd8 ? await sharp(contents).metadata().catch(() => undefined) : undefined;
      // A JPEG turned by its EXIF orientation is drawn rotated: its placement is left to the PDF.
      if (!contents || !meta?.width || !meta.height || (meta.orientation ?? 1) > 4) return undefined;
      const ppi = Math.min((meta.width * 96) / photo.width, (meta.height * 96) / photo.height);
      const digest = digestOf(contents);
      early.ppi.set(digest, Math.min(ppi, early.ppi.get(digest) ?? Infinity));
      return { contents, digest, width: meta.width, height: meta.height };
    }));
  })();
  const done = planned.then((sized) => {
    const unique = [...new Map(sized.filter((photo) => photo !== undefined).map((photo) => [photo.digest, photo])).values()];
    // The largest first, so the last to end is a small one; one at a time, so Chromium, paginating and
    // printing meanwhile, keeps a core of its own (two at a time made the whole press stage slower).
    unique.sort((a, b) => b.width * b.height - a.width * a.height);
    return inPool(unique, 1, async ({ contents, digest, width, height }) => {
      const base = path.join(options.work, `planned-${digest.slice(0, 16)}`);
      await cachedSeparation({ contents, jpeg: true, width, height }, early.ppi.get(digest)!, base, options, early.running).catch(() => undefined);
    });
  });
  return { sized: planned.then(() => undefined, () => undefined), done: done.catch(() => undefined) };
}

/** A proof's opaque RGB photos replaced by stubs for Ghostscript, and the separations to put in their place. */
export interface Stubs {
  /** Resolves (never rejects) once no separation is running any more. */
  ended: Promise<void>;
  /** Puts each photo's separation where `document` (Ghostscript's output) has its stub, once every photo is separated. */
  swapIn(document: PDFDocument): Promise<void>;
}

/**
 * A stub's size in pixels: 11 wide and 13 + n high, a size no photo has, so each is found again by its size
 * after Ghostscript (which renumbers objects and may re-encode samples, but keeps an image's size when it is
 * printed far below the downsampling resolution, as an 11-pixel stub is).
 */
const stubSize = (index: number) => ({ width: 11, height: 13 + index });
const sizeKey = (width: number, height: number) => `${width}×${height}`;

/**
 * Separates every 8-bit RGB image of `document` (DCT or Flate, as Chromium writes them) for the press: one with a
 * soft mask at once (Ghostscript converts its mask), each opaque one while Ghostscript runs — the PDF given to
 * Ghostscript has a small CMYK stub in its place, and `swapIn` replaces the stubs in Ghostscript's output.
 * Images of other kinds (grey, indexed, 16-bit) stay for Ghostscript, which converts them itself.
 */
export async function stubPhotos(document: PDFDocument, placements: Placement[], options: PhotoSeparation, early?: EarlySeparations): Promise<Stubs> {
  const masked: { ref: PDFRef; stream: PDFRawStream; photo: Photo; ppi: number }[] = [];
  const opaque: { key: string; photo: Photo; ppi: number; base: string }[] = [];
  for (const placement of placements) {
    const stream = document.context.lookup(placement.ref);
    if (!(stream instanceof PDFRawStream) || !isRgbPhoto(document, stream.dict)) continue;
    const mask = stream.dict.lookup(PDFName.of('SMask'));
    const flatten = options.opaque && mask !== undefined;
    if (flatten && !isGrayMask(mask)) continue;
    const photo = {
      contents: stream.contents, jpeg: stream.dict.lookup(PDFName.of('Filter')) === PDFName.of('DCTDecode'),
      width: numberOf(stream, 'Width'), height: numberOf(stream, 'Height'), mask: flatten ? mask as PDFRawStream : undefined,
    };
    // The plan's resolution where the PDF prints the photo at it: the separation started early is then the one needed.
    const planned = early?.ppi.get(digestOf(stream.contents));
    const ppi = planned !== undefined && Math.abs(planned - placement.ppi) <= PPI_TOLERANCE ? planned : placement.ppi;
    if (mask !== undefined && !flatten) {
      masked.push({ ref: placement.ref, stream, photo, ppi });
      continue;
    }
    const size = stubSize(opaque.length);
    opaque.push({ key: sizeKey(size.width, size.height), photo, ppi, base: path.join(options.work, `photo-${placement.ref.objectNumber}`) });
    document.context.assign(placement.ref, document.context.stream(new Uint8Array(size.width * size.height * 4), {
      Type: 'XObject', Subtype: 'Image', Width: size.width, Height: size.height, ColorSpace: 'DeviceCMYK', BitsPerComponent: 8,
    }));
  }
  // Two at a time: each photo's steps alternate between this process (sharp) and tificc.
  const separations = new Map<string, Separated>();
  opaque.sort((a, b) => b.photo.width * b.photo.height - a.photo.width * a.photo.height);
  const separating = inPool(opaque, 2, async ({ key, photo, ppi, base }) => {
    separations.set(key, await cachedSeparation(photo, ppi, base, options, early?.running));
  });
  const ended = separating.catch(() => undefined);
  await inPool(masked, 2, async ({ ref, stream, photo, ppi }) => {
    const separated = await cachedSeparation(photo, ppi, path.join(options.work, `photo-${ref.objectNumber}`), options, early?.running);
    document.context.assign(ref, imageStream(document, stream, separated, true));
  }).catch(async (error: unknown) => {
    // The photos being separated still write to the work folder: they end before the failure is thrown.
    await ended;
    throw error;
  });
  return {
    ended,
    swapIn: async (output) => {
      await separating;
      let swapped = 0;
      for (const [ref, object] of output.context.enumerateIndirectObjects()) {
        if (!(object instanceof PDFRawStream) || object.dict.lookup(PDFName.of('Subtype')) !== PDFName.of('Image')) continue;
        const separated = separations.get(sizeKey(numberOf(object, 'Width'), numberOf(object, 'Height')));
        if (!separated) continue;
        output.context.assign(ref, imageStream(output, object, separated, false));
        swapped++;
      }
      if (swapped !== separations.size) {
        // Only a stub Ghostscript resampled could go missing: one printed smaller than about a millimetre.
        throw new UserError(`${separations.size - swapped} of ${separations.size} photos could not be put back into the press PDF after Ghostscript`, {
          hint: 'Look for a photo printed smaller than about a millimetre and enlarge or remove it; the proof PDF (without --pdfx) is not affected.',
        });
      }
    },
  };
}

/** `pdfimages -list`: every image object with the lowest resolution any of its placements prints it at. */
export async function listPlacements(pdf: Uint8Array, { work, signal }: PhotoSeparation): Promise<Placement[]> {
  const file = path.join(work, 'photos.pdf');
  await writeFile(file, pdf);
  const listing = await runTool('pdfimages', ['-list', file], signal);
  const lowest = new Map<string, Placement>();
  for (const line of listing.split('\n').slice(2)) {
    const columns = line.trim().split(/\s+/);
    if (columns[2] !== 'image') continue;
    const [id, generation, xPpi, yPpi] = columns.slice(10, 14).map(Number);
    const key = `${id} ${generation}`;
    const ppi = Math.min(xPpi, yPpi);
    const known = lowest.get(key);
    if (!known || ppi < known.ppi) lowest.set(key, { ref: PDFRef.of(id, generation), ppi });
  }
  return [...lowest.values()];
}

function isRgbPhoto(document: PDFDocument, dict: PDFDict): boolean {
  const filter = dict.lookup(PDFName.of('Filter'));
  const decoding = filter === PDFName.of('DCTDecode') || filter === PDFName.of('FlateDecode');
  return decoding && eightBit(dict)
    && !dict.has(PDFName.of('DecodeParms')) && !dict.has(PDFName.of('Decode'))
    && components(document, dict.lookup(PDFName.of('ColorSpace'))) === 3;
}

function eightBit(dict: PDFDict): boolean {
  const bits = dict.lookup(PDFName.of('BitsPerComponent'));
  return bits instanceof PDFNumber && bits.asNumber() === 8;
}

/** A soft mask this stage can composite: 8-bit grey samples, deflated or plain, no matte. */
function isGrayMask(mask: unknown): mask is PDFRawStream {
  if (!(mask instanceof PDFRawStream)) return false;
  const filter = mask.dict.lookup(PDFName.of('Filter'));
  return (filter === undefined || filter === PDFName.of('FlateDecode')) && !mask.dict.has(PDFName.of('DecodeParms'))
    && !mask.dict.has(PDFName.of('Matte')) && eightBit(mask.dict);
}

/** Components of a DeviceRGB or ICCBased colour space (anything else: 0, left to Ghostscript). */
function components(document: PDFDocument, space: unknown): number {
  if (space === PDFName.of('DeviceRGB')) return 3;
  if (space instanceof PDFArray && space.lookup(0) === PDFName.of('ICCBased')) {
    const profile = document.context.lookup(space.get(1));
    const n = profile instanceof PDFRawStream ? profile.dict.lookup(PDFName.of('N')) : undefined;
    return n instanceof PDFNumber ? n.asNumber() : 0;
  }
  return 0;
}

/** A separated photo: CMYK samples, as a JPEG or deflated. */
export interface Separated {
  width: number;
  height: number;
  filter: 'DCTDecode' | 'FlateDecode';
  bytes: Uint8Array;
}

const numberOf = (stream: PDFRawStream, key: string) => (stream.dict.lookup(PDFName.of(key)) as PDFNumber).asNumber();

/** An RGB photo to separate: a JPEG file's bytes, or deflated samples; with a soft mask to composite over white. */
interface Photo {
  contents: Uint8Array;
  jpeg: boolean;
  width: number;
  height: number;
  mask?: PDFRawStream;
}

/**
 * A separation from the cache, or made and then kept there (JSON header line, then the samples). `running`
 * holds the separations under way by their key, so a photo is never separated twice at once.
 */
async function cachedSeparation(photo: Photo, ppi: number, base: string, options: PhotoSeparation, running = new Map<string, Promise<Separated>>()): Promise<Separated> {
  const { contents, jpeg, width, height, mask } = photo;
  const scale = ppi > options.ppi * options.threshold ? options.ppi / ppi : 1;
  const size = { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
  const key = createHash('sha256')
    .update(JSON.stringify({ link: options.linkIdentity, jpeg, width, height, size, quality: options.quality, maxInk: options.maxInk, maker: await makerIdentity() }))
    .update(contents)
    .update(mask?.contents ?? new Uint8Array())
    .digest('hex');
  const separate = () => readOrSeparate(key, { jpeg, width, height, size, base, alpha: mask && maskSamples(mask) }, contents, options);
  const started = running.get(key);
  // One that failed early (its error unseen) is made again here, where a failure is reported.
  if (started) return started.catch(separate);
  const made = separate();
  running.set(key, made);
  return made;
}

async function readOrSeparate(key: string, source: Source, contents: Uint8Array, options: PhotoSeparation): Promise<Separated> {
  const file = path.join(CACHE_DIR, 'press-photos', `${key}.bin`);
  const cached = await readFile(file).catch(() => undefined);
  if (cached) {
    const header = cached.indexOf(0x0a);
    return { ...(JSON.parse(cached.subarray(0, header).toString()) as Omit<Separated, 'bytes'>), bytes: cached.subarray(header + 1) };
  }
  const separated = await separateOne(contents, source, options);
  const { bytes, ...header } = separated;
  await writeFileAtomic(file, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), bytes]));
  return separated;
}

const maskSamples = (mask: PDFRawStream) => ({
  samples: mask.dict.has(PDFName.of('Filter')) ? inflateSync(mask.contents) : mask.contents,
  width: numberOf(mask, 'Width'),
  height: numberOf(mask, 'Height'),
});

interface Source {
  jpeg: boolean;
  width: number;
  height: number;
  /** The size to print at (smaller than the source's when it is placed far above the press resolution). */
  size: { width: number; height: number };
  /** Path and name stem of the intermediate TIFF files. */
  base: string;
  /** A soft mask to composite the photo with over white paper (PDF/X-1a). */
  alpha?: { samples: Uint8Array; width: number; height: number };
}

/** Decodes, resamples and separates one photo through the device link. */
async function separateOne(contents: Uint8Array, { jpeg, width, height, size, base, alpha }: Source, options: PhotoSeparation): Promise<Separated> {
  const { default: sharp } = await import('sharp');
  let rgb = jpeg ? sharp(contents) : sharp(inflateSync(contents), { raw: { width, height, channels: 3 } });
  if (alpha) {
    const samples = alpha.width === width && alpha.height === height ? alpha.samples
      : await sharp(alpha.samples, { raw: { width: alpha.width, height: alpha.height, channels: 1 } }).resize(width, height, { fit: 'fill' }).raw().toBuffer();
    // Two pipelines: sharp flattens before it joins channels within one.
    const rgba = await rgb.joinChannel(Buffer.from(samples), { raw: { width, height, channels: 1 } }).raw().toBuffer();
    const composited = await sharp(rgba, { raw: { width, height, channels: 4 } }).flatten({ background: '#ffffff' }).raw().toBuffer();
    rgb = sharp(composited, { raw: { width, height, channels: 3 } });
  }
  if (size.width !== width || size.height !== height) rgb = rgb.resize(size.width, size.height, { fit: 'fill' });
  await rgb.tiff({ compression: 'none' }).toFile(`${base}-rgb.tif`);
  await runTool('tificc', ['-l', options.link, `${base}-rgb.tif`, `${base}-cmyk.tif`], options.signal);
  const cmyk = (input: string | Buffer) => sharp(input).pipelineColourspace('cmyk').toColourspace('cmyk');
  if (jpeg) {
    // Standard Huffman tables: optimised ones save ~8 % of the bytes and cost ~40 % of the encoding time.
    const bytes = await cmyk(`${base}-cmyk.tif`).jpeg({ quality: options.quality, chromaSubsampling: '4:4:4', optimiseCoding: false }).toBuffer();
    const ink = highestInk(await cmyk(bytes).raw().toBuffer());
    if (ink <= options.maxInk * JPEG_INK_TOLERANCE) return { ...size, filter: 'DCTDecode', bytes };
  }
  return { ...size, filter: 'FlateDecode', bytes: deflateSync(await cmyk(`${base}-cmyk.tif`).raw().toBuffer()) };
}

/** The image stream of a separated photo, keeping the proof's soft mask (a PNG's transparency) unless it was composited. */
function imageStream(document: PDFDocument, original: PDFRawStream, { width, height, filter, bytes }: Separated, keepMask: boolean): PDFRawStream {
  const image = document.context.stream(bytes, {
    Type: 'XObject', Subtype: 'Image', Width: width, Height: height, ColorSpace: 'DeviceCMYK', BitsPerComponent: 8, Filter: filter,
    // sharp (libvips) writes CMYK JPEG as Photoshop does, inverted behind an Adobe marker: /Decode turns it back.
    ...(filter === 'DCTDecode' ? { Decode: [1, 0, 1, 0, 1, 0, 1, 0] } : {}),
  });
  const mask = original.dict.get(PDFName.of('SMask'));
  if (mask && keepMask) image.dict.set(PDFName.of('SMask'), mask);
  return image;
}

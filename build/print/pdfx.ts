// The press stage: turns the finished proof PDF into press colour with Ghostscript — every colour CMYK,
// neutral type and rules on the black plate only, photos through the output profile with an ink limit,
// photos downsampled for 300 ppi. pdf-finish.ts then adds the PDF/X boxes, marks and metadata.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.ts';
import type { PDFDocument } from 'pdf-lib';
import type { EarlySeparations, PhotoSeparation, PlannedPhoto, Stubs } from './press-photos.ts';
import { GHOSTSCRIPT_ICC_DIR, runTool } from './press-tools.ts';

export const PDFX_STANDARDS = ['x4', 'x1a'] as const;
export type PdfxStandard = (typeof PDFX_STANDARDS)[number];

/** Ghostscript's own CMYK profile (its description: "Artifex CMYK SWOP Profile"), shipped by Debian. */
export const DEFAULT_OUTPUT_PROFILE = path.join(GHOSTSCRIPT_ICC_DIR, 'default_cmyk.icc');
/** Total area coverage for coldset newsprint (ISO 12647-3). */
export const DEFAULT_MAX_INK = 240;
/**
 * Photos are printed for 300 ppi — already three times a newsprint screen (85–100 lpi): a photo placed
 * above it is brought down to it (the ceiling is 1.5 times that; resampling all of them makes the separation
 * cheaper and the press PDF smaller, and loses nothing a newsprint screen could show). Never enlarged.
 */
export const PRESS_PPI = 300;
export const DOWNSAMPLE_THRESHOLD = 1;
/**
 * JPEG recompression of a CMYK photo adds ink at hard edges (measured: up to +6 % total ink at the quality
 * below), so the photo device link aims at 98 % of the limit; a photo whose JPEG still rings past the limit
 * + 2 % (flat graphics with hard edges) is kept lossless (press-photos.ts measures every one).
 */
const INK_HEADROOM = 0.98;
/** Better than Distiller's "maximum" JPEG quality (QFactor 0.15), for less ringing; no chroma subsampling. */
const JPEG_QUALITY = 96;

export interface PressOptions {
  standard: PdfxStandard;
  /** The output profile (ICC, CMYK, output class) the PDF is separated for and names as its output intent. */
  profile: OutputProfile;
  /** Highest total ink of photos, in per cent (the four plates summed). */
  maxInk: number;
  signal?: AbortSignal;
}

export interface OutputProfile {
  file: string;
  bytes: Uint8Array;
  /** The profile's own description (its `desc` tag), the name the output intent gives it. */
  description: string;
}

/** Reads and validates an output profile: an ICC file of the output (printer) class in CMYK. */
export async function readOutputProfile(file: string): Promise<OutputProfile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new UserError(`cannot read the output profile: ${(error as Error).message}`, {
      file,
      hint: 'Give the press\'s ICC profile with --output-profile press.icc, or leave the option out for the default.',
    });
  }
  const ascii = (start: number, end: number) => bytes.subarray(start, end).toString('latin1');
  if (bytes.length < 132 || ascii(36, 40) !== 'acsp') {
    throw new UserError('the output profile is not an ICC profile', { file, hint: 'Give the .icc/.icm file the press supplies (e.g. ISOnewspaper26v4.icc).' });
  }
  if (ascii(16, 20) !== 'CMYK' || ascii(12, 16) !== 'prtr') {
    throw new UserError(`the output profile is a ${ascii(12, 16).trim()} profile in ${ascii(16, 20).trim()}, not a CMYK printer profile`, {
      file,
      hint: 'A press output intent needs the printing condition\'s CMYK output profile, not a display or input profile such as sRGB.',
    });
  }
  return { file, bytes, description: profileDescription(bytes) ?? path.basename(file, path.extname(file)) };
}

/** An ICC profile's `desc` tag: textDescriptionType (ICC v2) or multiLocalizedUnicodeType (v4, first record). */
export function profileDescription(bytes: Buffer): string | undefined {
  if (bytes.length < 132) return undefined;
  const count = bytes.readUInt32BE(128);
  for (let index = 0; index < count && 132 + 12 * index + 12 <= bytes.length; index++) {
    const entry = 132 + 12 * index;
    if (bytes.toString('latin1', entry, entry + 4) !== 'desc') continue;
    const offset = bytes.readUInt32BE(entry + 4);
    const type = bytes.toString('latin1', offset, offset + 4);
    if (type === 'desc') {
      const length = bytes.readUInt32BE(offset + 8);
      return bytes.toString('latin1', offset + 12, offset + 12 + length).replace(/\0+$/, '') || undefined;
    }
    if (type === 'mluc') {
      const length = bytes.readUInt32BE(offset + 20);
      const start = offset + bytes.readUInt32BE(offset + 24);
      return Buffer.from(bytes.subarray(start, start + length)).swap16().toString('utf16le') || undefined;
    }
  }
  return undefined;
}

/** One press PDF in the making: its work folder, the photos' device link, the separations started from the plan. */
export interface PressRun {
  /** The make-up plan has placed these photos: separate them now, while Chromium paginates. */
  planned(photos: PlannedPhoto[]): void;
  /**
   * The printed PDF separated for the press (see `openPress`): Ghostscript's output, and `restore`, which puts
   * back what Ghostscript does not keep — the separated photos in place of their stubs, the proof's ToUnicode
   * maps (to-unicode.ts). `finishProof` finishes the printed PDF as the proof, with the stubs put in during its one pass.
   */
  separate(printed: Uint8Array, finishProof: (edit: (pdf: PDFDocument) => Promise<void>) => Promise<Uint8Array>): Promise<{ pdf: Uint8Array; restore: (pdf: PDFDocument) => Promise<void> }>;
  /** Ends the run's work and removes its files; call it whatever happened. */
  close(): Promise<void>;
}

/**
 * Opens a press run, which separates a proof with Ghostscript's pdfwrite. Three colour routes, set per kind of
 * object (Ghostscript's source-object colour control):
 * - type and vector art in DeviceRGB go without colour management through black generation and full
 *   undercolour removal, so a neutral (r = g = b) becomes black ink only: K = 1 − r, C = M = Y = 0;
 * - photos go through a Little CMS device link from sRGB to the output profile built with the ink limit,
 *   separated before Ghostscript runs (press-photos.ts; the plan's JPEGs while the pages are still being
 *   made), which then passes them through;
 * - DeviceGray stays on the black plate (Ghostscript's DeviceGrayToK).
 * X-1a is written as PDF 1.3 (transparency, if any, is flattened by Ghostscript's PDF/X mode); X-4 as PDF 1.6.
 */
export function openPress({ standard, profile, maxInk, signal }: PressOptions): PressRun {
  const early: EarlySeparations = { ppi: new Map(), running: new Map() };
  const sized: Promise<void>[] = [];
  const done: Promise<void>[] = [];
  const prepared = (async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'banmian-press-'));
    const file = (name: string) => path.join(work, name);
    await writeFile(file('output.icc'), profile.bytes);
    const linkOptions = ['-t', '0', '-k', (maxInk * INK_HEADROOM).toFixed(1)];
    // Loaded here: pdf-lib and sharp are not needed by the commands that only read the press options.
    const [photos, unicode] = await Promise.all([
      import('./press-photos.ts'),
      import('./to-unicode.ts'),
      runTool('linkicc', [...linkOptions, '-o', file('photos.icc'), path.join(GHOSTSCRIPT_ICC_DIR, 'srgb.icc'), file('output.icc')], signal),
    ]);
    const separation: PhotoSeparation = {
      link: file('photos.icc'),
      linkIdentity: JSON.stringify([linkOptions, createHash('sha256').update(profile.bytes).digest('hex')]),
      maxInk, ppi: PRESS_PPI, threshold: DOWNSAMPLE_THRESHOLD, quality: JPEG_QUALITY, work, signal, opaque: standard === 'x1a',
    };
    return { work, file, photos, unicode, separation };
  })();
  // Its failure is thrown by `separate`; until then nothing may count it as unhandled.
  prepared.catch(() => undefined);
  return {
    planned(photos) {
      // A photo that fails here is separated again from the PDF, where its error is reported.
      const started = prepared.then(({ photos: module, separation }) => module.startSeparations(photos, separation, early));
      sized.push(started.then((run) => run.sized, () => undefined));
      done.push(started.then((run) => run.done, () => undefined));
    },
    async separate(printed, finishProof) {
      const { file, photos, unicode, separation } = await prepared;
      // Every planned size is known first, so the photos' sizes are the same whatever finished when.
      await Promise.all(sized);
      // poppler lists the photos while pdf-lib reads the same PDF.
      const placements = photos.listPlacements(printed, separation);
      placements.catch(() => undefined);
      let stubs: Stubs | undefined;
      let unicodeMaps = new Map<string, Map<string, string>>();
      const proof = await finishProof(async (document) => {
        unicodeMaps = unicode.readUnicodeMaps(document);
        stubs = await photos.stubPhotos(document, await placements, separation, early);
        done.push(stubs.ended);
      });
      await writeFile(file('proof.pdf'), proof);
      await runGhostscript(standard, file, signal);
      return {
        pdf: new Uint8Array(await readFile(file('press.pdf'))),
        restore: async (output) => {
          await stubs!.swapIn(output);
          unicode.restoreUnicodeMaps(output, unicodeMaps);
        },
      };
    },
    async close() {
      await Promise.all(done);
      const { work } = await prepared.catch(() => ({ work: undefined }));
      if (work) await rm(work, { recursive: true, force: true });
    },
  };
}

/** Ghostscript's pdfwrite over the work folder's proof.pdf (photos already separated) into press.pdf. */
async function runGhostscript(standard: PdfxStandard, file: (name: string) => string, signal?: AbortSignal): Promise<void> {
  // Columns of a profile line: rendering intent, black point compensation, override embedded profiles.
  await writeFile(file('objects.txt'), `Graphic_RGB None\nText_RGB None\nImage_RGB ${file('photos.icc')} 0 0 1\n`);
  const images = (kind: 'Color' | 'Gray') => [
    `-dDownsample${kind}Images=true`,
    `-d${kind}ImageDownsampleType=/Bicubic`,
    `-d${kind}ImageResolution=${PRESS_PPI}`,
    `-d${kind}ImageDownsampleThreshold=${DOWNSAMPLE_THRESHOLD}`,
  ];
  await runTool('gs', [
    '-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', `--permit-file-read=${path.dirname(file('proof.pdf'))}/`,
    // Images are never written inline, so the photos' stubs stay objects of their own (press-photos.ts).
    '-sDEVICE=pdfwrite', '-dPDFSETTINGS=/prepress', '-dMaxInlineImageSize=0',
    ...(standard === 'x1a' ? ['-dPDFX', '-dCompatibilityLevel=1.3'] : ['-dCompatibilityLevel=1.6']),
    '-sProcessColorModel=DeviceCMYK', '-sColorConversionStrategy=CMYK',
    // Every RGB photo is separated already (press-photos.ts): the colours left in Device spaces are type and
    // rules, which take the unmanaged route below anyway; the fast route skips a colour link per object (−0.1 s).
    '-dUseFastColor=true',
    // DeviceCMYK (the separated photos) is already in the output's colour: read through the same profile, it passes unchanged.
    `-sOutputICCProfile=${file('output.icc')}`, `-sDefaultCMYKProfile=${file('output.icc')}`, `-sSourceObjectICC=${file('objects.txt')}`,
    // The separated photos pass through: JPEGs as they are, lossless ones re-deflated, never made JPEG here.
    ...images('Color'), '-dAutoFilterColorImages=false', '-dColorImageFilter=/FlateEncode', '-dPassThroughJPEGImages=true',
    ...images('Gray'), '-dAutoFilterGrayImages=true',
    `-sOutputFile=${file('press.pdf')}`,
    // Full black generation and undercolour removal for the unmanaged route (before the PDF is read).
    '-c', '{} bind dup setblackgeneration setundercolorremoval',
    '-f', file('proof.pdf'),
  ], signal);
}

// The photos of an article, checked before any browser starts: each one is a readable image inside the
// article's folder. Every failure is a diagnostic at the image's line, so all of them are reported at once.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { Diagnostic } from './diagnostics.ts';
import type { FigureData } from './env.ts';

/** Above this an image is refused: no newspaper photo needs it, and decoding it would stall the build. */
export const MAX_IMAGE_PIXELS = 60_000_000;

export interface Figure extends FigureData {
  /** Absolute path of the image file. */
  path: string;
  /** Pixel size; 0 when the image could not be read (the article then carries a diagnostic). */
  width: number;
  height: number;
}

/** Reads a figure's image; problems go to `diagnostics` with the codes `check` reports them under. */
export async function inspectImage(figure: FigureData, dir: string, file: string, diagnostics: Diagnostic[]): Promise<Figure> {
  const imagePath = path.resolve(dir, figure.src);
  const unread: Figure = { ...figure, path: imagePath, width: 0, height: 0 };
  const fail = (message: string, hint: string, code = 'image-unreadable'): Figure => {
    diagnostics.push({ file, line: figure.line, column: figure.srcColumn, code, severity: 'error', message: `image ${figure.src}: ${message}`, hint });
    return unread;
  };
  if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(figure.src)) {
    return fail('remote or non-file URLs are not allowed', 'Run `banmian import` on the file to download its photos, or save the photo into the article folder and give its relative path, e.g. images/photo.jpg.', 'image-remote');
  }
  if (!imagePath.startsWith(dir + path.sep)) {
    return fail('the path leaves the article folder', 'Copy the photo into the article folder (e.g. images/) and refer to it from there.');
  }
  const info = await stat(imagePath).catch(() => undefined);
  if (!info?.isFile()) return fail('the file does not exist', `Put the photo at ${path.relative(process.cwd(), imagePath)}, or correct the path.`, 'image-missing');
  if (info.size === 0) return fail('the file is empty', 'Replace it with the real photo.');
  const metadata = await sharp(imagePath, { limitInputPixels: false }).metadata().catch(() => undefined);
  if (!metadata?.width || !metadata.height || !['jpeg', 'png', 'webp', 'tiff', 'gif'].includes(metadata.format ?? '')) {
    return fail('the file is not a readable image', 'Save the photo as JPEG or PNG and try again.');
  }
  const { width, height } = metadata;
  if (width * height > MAX_IMAGE_PIXELS) {
    return fail(`${width} × ${height} px is too large (over ${MAX_IMAGE_PIXELS / 1e6} megapixels)`, 'Downscale it: about 300 ppi at its printed width is enough.');
  }
  // The header can be intact while the pixels are not (a truncated upload): decode it all once.
  const damaged = await sharp(imagePath, { failOn: 'truncated' }).resize(64).toBuffer().then(() => undefined, (error: Error) => error);
  if (damaged) return fail(`the image data is damaged (${damaged.message.split('\n')[0]})`, 'Export or download the photo again.');
  return { ...figure, path: imagePath, width, height };
}

// press-preflight: photos the press PDF (--pdfx) cannot separate as their author meant. The press stage
// treats every photo as sRGB and separates it through the output profile with the ink limit; a CMYK photo
// reaches it only after the browser has turned it into RGB (its black and its ink are made again), and a
// photo tagged with another RGB profile is read as sRGB.
import sharp from 'sharp';
import { highestInk } from '../../print/ink.ts';
import { profileDescription } from '../../print/pdfx.ts';
import type { Severity } from '../types.ts';

export const PRESS_PREFLIGHT = 'press-preflight';

/** What the check knows of a photo file (from sharp: its header, and a CMYK photo's pixels). */
export interface PressImageFacts {
  src: string;
  /** Colour space as sharp names it: 'srgb', 'rgb', 'cmyk', 'b-w', … */
  space: string;
  /** The description of the embedded ICC profile, if the file carries one. */
  profile?: string;
  /** A CMYK photo's highest total ink, in per cent (the four plates summed). */
  ink?: number;
}

export interface PressHit {
  severity: Severity;
  message: string;
}

/**
 * @example
 * pressPreflight({ src: 'a.jpg', space: 'cmyk', ink: 320 }, 240)?.message; // 'a.jpg 是 CMYK 图，最高总墨量 320%，超过印刷上限 240%：…'
 * pressPreflight({ src: 'b.jpg', space: 'srgb', profile: 'Adobe RGB (1998)' }, 240)?.message; // 'b.jpg 标注的色彩特性是 Adobe RGB (1998)…'
 */
export function pressPreflight(image: PressImageFacts, maxInk: number): PressHit | undefined {
  if (image.space === 'cmyk') {
    const ink = image.ink === undefined ? '' : image.ink > maxInk
      ? `，最高总墨量 ${Math.round(image.ink)}%，超过印刷上限 ${maxInk}%`
      : `，最高总墨量 ${Math.round(image.ink)}%`;
    return {
      severity: 'warning',
      message: `${image.src} 是 CMYK 图${ink}：浏览器先把它转成 RGB，印刷版 PDF 再按输出特性重新分色，原图的黑版和墨量都不保留——请放 RGB（sRGB）原图，由 --pdfx 分色并限制总墨量`,
    };
  }
  if (image.profile && !/\bsRGB\b/i.test(image.profile)) {
    return {
      severity: 'warning',
      message: `${image.src} 标注的色彩特性是 ${image.profile}，而印刷版 PDF 把每张照片都当作 sRGB 分色——先把它转换为 sRGB 再放入，否则印出来颜色会偏`,
    };
  }
  return undefined;
}

/** Reads the facts from the photo file: its header, and the pixels of a CMYK photo for its ink. */
export async function pressImageFacts(src: string, file: string): Promise<PressImageFacts> {
  const { space, icc } = await sharp(file, { limitInputPixels: false }).metadata();
  const ink = space === 'cmyk'
    ? highestInk(await sharp(file, { limitInputPixels: false }).pipelineColourspace('cmyk').toColourspace('cmyk').raw().toBuffer())
    : undefined;
  return { src, space: space ?? 'unknown', profile: icc ? profileDescription(icc) : undefined, ink };
}

// press-preflight: photos the press PDF (--pdfx) cannot separate as their author meant. The press stage
// treats every photo as sRGB and separates it through the output profile; a CMYK photo reaches it only
// after the browser has turned it into RGB, and a photo tagged with another RGB profile is read as sRGB.
import sharp from 'sharp';
import { profileDescription } from '../../print/pdfx.ts';
import type { Severity } from '../types.ts';

export const PRESS_PREFLIGHT = 'press-preflight';

/** What the check knows of a photo file (from its header: sharp's metadata). */
export interface PressImageFacts {
  src: string;
  /** Colour space as sharp names it: 'srgb', 'rgb', 'cmyk', 'b-w', … */
  space: string;
  /** The description of the embedded ICC profile, if the file carries one. */
  profile?: string;
}

export interface PressHit {
  severity: Severity;
  message: string;
}

/**
 * @example
 * pressPreflight({ src: 'a.jpg', space: 'cmyk' })?.severity; // 'warning'
 * pressPreflight({ src: 'b.jpg', space: 'srgb', profile: 'Adobe RGB (1998)' })?.message; // '… is tagged Adobe RGB (1998) …'
 */
export function pressPreflight(image: PressImageFacts): PressHit | undefined {
  if (image.space === 'cmyk') {
    return {
      severity: 'warning',
      message: `${image.src} is CMYK: the browser renders it through RGB, so for the press PDF it is separated again and its own black and ink are lost — place the RGB (sRGB) original and let --pdfx separate it for the press`,
    };
  }
  if (image.profile && !/\bsRGB\b/i.test(image.profile)) {
    return {
      severity: 'warning',
      message: `${image.src} is tagged ${image.profile}, but the press PDF reads every photo as sRGB — convert it to sRGB before placing it, or its colours shift in print`,
    };
  }
  return undefined;
}

/** Reads the facts from the photo file's header. */
export async function pressImageFacts(src: string, file: string): Promise<PressImageFacts> {
  const { space, icc } = await sharp(file, { limitInputPixels: false }).metadata();
  return { src, space: space ?? 'unknown', profile: icc ? profileDescription(icc) : undefined };
}

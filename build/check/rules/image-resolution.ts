// image-resolution: a photo's effective resolution at its placed width — under 300 ppi is soft in print, under 150 is unusable.
import { placedColumns, spanWidthMm, type Preset } from '../../print/presets.ts';
import type { Severity } from '../types.ts';

export const IMAGE_RESOLUTION = 'image-resolution';
export const PRINT_PPI = 300;
export const MINIMUM_PPI = 150;

export interface ResolutionHit {
  severity: Severity;
  ppi: number;
  message: string;
}

/**
 * @example
 * imageResolution({ src: 'a.jpg', width: 600, cols: 3 }, PRESETS.broadsheet)?.severity; // 'error' (138 ppi)
 */
export function imageResolution(figure: { src: string; width: number; cols: number }, preset: Preset): ResolutionHit | undefined {
  const widthMm = spanWidthMm(preset, figure.cols);
  // Whole ppi: a photo made for 300 ppi at this width comes out at 299.97 after rounding its pixels.
  const ppi = Math.round(figure.width / (widthMm / 25.4));
  if (ppi >= PRINT_PPI) return undefined;
  const needed = Math.ceil((PRINT_PPI * widthMm) / 25.4);
  return {
    severity: ppi < MINIMUM_PPI ? 'error' : 'warning',
    ppi,
    message: `${figure.src} 宽 ${figure.width} 像素，跨 ${placedColumns(preset, figure.cols)} 栏（${preset.label}版上 ${widthMm.toFixed(1)} 毫米）：${ppi} ppi，低于 ${ppi < MINIMUM_PPI ? MINIMUM_PPI : PRINT_PPI} ppi——换一张至少 ${needed} 像素宽的照片，或让它跨更少的栏`,
  };
}

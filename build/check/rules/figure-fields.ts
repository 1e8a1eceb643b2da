// figure-alt, figure-caption, figure-credit: a photo without its alt text, caption or credit line.
import type { FigureData } from '../../model/env.ts';

export const FIGURE_FIELDS = {
  'figure-alt': { field: 'alt', message: 'the photo has no alt text; describe it inside ![…] for readers who cannot see it' },
  'figure-caption': { field: 'caption', message: 'the photo has no caption; write it on the line after the image' },
  'figure-credit': { field: 'credit', message: 'the photo has no credit; write it on the line after the caption, e.g. 长沙晚报全媒体记者 邹麟 摄' },
} as const;

export type FigureFieldRule = keyof typeof FIGURE_FIELDS;

/** The rule ids of the fields this figure lacks. */
export function missingFigureFields(figure: Pick<FigureData, 'alt' | 'caption' | 'credit'>): FigureFieldRule[] {
  return (Object.keys(FIGURE_FIELDS) as FigureFieldRule[]).filter((rule) => !figure[FIGURE_FIELDS[rule].field].trim());
}

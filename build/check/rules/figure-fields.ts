// figure-alt, figure-caption, figure-credit: a photo without its alt text, caption or credit line.
import type { FigureData } from '../../model/env.ts';

export const FIGURE_FIELDS = {
  'figure-alt': { field: 'alt', message: '照片没有替代文字：在 ![…] 里为看不见图片的读者描述它' },
  'figure-caption': { field: 'caption', message: '照片没有图片说明：写在图片的下一行' },
  'figure-credit': { field: 'credit', message: '照片没有署名：写在图片说明的下一行，如“长沙晚报全媒体记者 邹麟 摄”' },
} as const;

export type FigureFieldRule = keyof typeof FIGURE_FIELDS;

/** The rule ids of the fields this figure lacks. */
export function missingFigureFields(figure: Pick<FigureData, 'alt' | 'caption' | 'credit'>): FigureFieldRule[] {
  return (Object.keys(FIGURE_FIELDS) as FigureFieldRule[]).filter((rule) => !figure[FIGURE_FIELDS[rule].field].trim());
}

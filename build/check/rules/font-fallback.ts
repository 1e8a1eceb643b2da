// font-fallback: characters of the printed text that no face of their stack has, so Chromium would borrow a system font.
import { STACK_FOR, type Coverage } from '../fonts.ts';
import { OPAQUE, type TextBlock } from '../../model/text.ts';
import type { TextHit } from '../types.ts';

export const FONT_FALLBACK = 'font-fallback';

/** One hit per uncovered character (spaces and line breaks aside), at its own place. */
export function fontFallback(block: TextBlock, coverage: Coverage): TextHit[] {
  if (block.kind === 'alt' || block.kind === 'meta') return [];
  const stack = STACK_FOR[block.kind];
  const covers = coverage[stack];
  const hits: TextHit[] = [];
  for (let index = 0; index < block.text.length; index++) {
    const codePoint = block.text.codePointAt(index)!;
    const width = codePoint > 0xffff ? 2 : 1;
    if (!/\s/.test(block.text[index]) && block.text[index] !== OPAQUE && !covers(codePoint)) {
      const char = block.text.slice(index, index + width);
      const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
      hits.push({ start: index, end: index + width, message: `「${char}」 (U+${hex}) is in none of the ${stack} faces; it would print in a fallback font — replace it, or declare a face that has it` });
    }
    index += width - 1;
  }
  return hits;
}

// font-fallback: characters of the printed text that no face of their stack has. Chromium then borrows the
// glyph from whatever system font has it (fontconfig decides), or prints a tofu box when none has: the finding
// says which will really happen on this machine.
import { execFileSync } from 'node:child_process';
import { STACK_FOR, type Coverage } from '../fonts.ts';
import { OPAQUE, type TextBlock } from '../../model/text.ts';
import type { TextHit } from '../types.ts';

export const FONT_FALLBACK = 'font-fallback';

const STACK_NAMES = { serif: '正文宋体', sans: '黑体', kai: '楷体' } as const;

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
      const system = systemFontWith(codePoint);
      const prints = system ? `会借用系统字体“${system}”印出，与正文字体不一致` : '印出来会是缺字方框“□”';
      hits.push({ start: index, end: index + width, message: `「${char}」（U+${hex}）不在${STACK_NAMES[stack]}字体中，${prints}：换用别的字，或加一款含有它的字体` });
    }
    index += width - 1;
  }
  return hits;
}

const systemFonts = new Map<number, string | undefined>();

/** The first installed font family fontconfig lists for the character, or undefined when none has it. */
function systemFontWith(codePoint: number): string | undefined {
  if (!systemFonts.has(codePoint)) {
    let family: string | undefined;
    try {
      family = execFileSync('fc-list', [`:charset=${codePoint.toString(16)}`, 'family'], { encoding: 'utf8' }).split('\n')[0]?.split(',')[0]?.trim() || undefined;
    } catch {
      family = undefined;
    }
    systemFonts.set(codePoint, family);
  }
  return systemFonts.get(codePoint);
}

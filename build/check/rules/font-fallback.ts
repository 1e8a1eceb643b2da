// font-fallback: characters of the printed text that no face of their stack has. Chromium then borrows the
// glyph from whatever system font has it (fontconfig decides), or prints a tofu box when none has: the finding
// says which will really happen on this machine.
import { execFileSync } from 'node:child_process';
import { STACK_FOR, type Coverage } from '../fonts.ts';
import type { Diagnostic } from '../../model/diagnostics.ts';
import { lineStartsOf, positionAt } from '../../model/lines.ts';
import type { Article } from '../../model/load.ts';
import { OPAQUE, type TextBlock } from '../../model/text.ts';
import type { TextHit } from '../types.ts';

export const FONT_FALLBACK = 'font-fallback';

const STACK_NAMES = { serif: '正文宋体', sans: '黑体', kai: '楷体', mono: '等宽' } as const;

interface FallbackHit extends TextHit {
  /** The installed font Chromium would borrow the glyph from; undefined when none has it (a tofu box). */
  system?: string;
}

/** One hit per uncovered character (spaces and line breaks aside), at its own place. */
export function fontFallback(block: TextBlock, coverage: Coverage): FallbackHit[] {
  if (block.kind === 'alt' || block.kind === 'meta') return [];
  const stack = STACK_FOR[block.kind];
  const covers = coverage[stack];
  const hits: FallbackHit[] = [];
  for (let index = 0; index < block.text.length; index++) {
    const codePoint = block.text.codePointAt(index)!;
    const width = codePoint > 0xffff ? 2 : 1;
    if (!/\s/.test(block.text[index]) && block.text[index] !== OPAQUE && !covers(codePoint)) {
      const char = block.text.slice(index, index + width);
      const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
      const system = systemFontWith(codePoint);
      const prints = system ? `会借用系统字体“${system}”印出，与正文字体不一致` : '印出来会是缺字方框“□”';
      hits.push({ start: index, end: index + width, system, message: `「${char}」（U+${hex}）不在${STACK_NAMES[stack]}字体中，${prints}：换用别的字，或加一款含有它的字体` });
    }
    index += width - 1;
  }
  return hits;
}

/**
 * What the build says about glyphs before it prints: a character no face has is an error (it would print as
 * a tofu box, lost), one only a system font has is a warning (it prints, in a face nobody chose).
 */
export function missingGlyphs(article: Article, coverage: Coverage): Diagnostic[] {
  const lineStarts = lineStartsOf(article.source);
  return article.text.filter((block) => block.place !== 'alt' && block.place !== 'meta').flatMap((block) =>
    fontFallback(block, coverage).map((hit): Diagnostic => ({
      file: article.file,
      ...positionAt(lineStarts, block.offsets[hit.start] ?? block.offsets[0] ?? 0),
      code: FONT_FALLBACK,
      severity: hit.system ? 'warning' : 'error',
      message: hit.message,
    })));
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

// halfwidth-punctuation: `,` `:` `;` `?` `!` `(` `)` next to Han characters, where a newspaper sets full-width marks.
import { isHanContext, isSpace } from '../chars.ts';
import type { TextHit, TextRule } from '../types.ts';

const FULL_WIDTH: Record<string, string> = { ',': '，', ':': '：', ';': '；', '?': '？', '!': '！', '(': '（', ')': '）' };

/** The nearest character before `index` that is not a space. */
function before(text: string, index: number): { char: string | undefined; at: number } {
  let at = index;
  while (at > 0 && isSpace(text[at - 1])) at--;
  return { char: text[at - 1], at };
}

function after(text: string, index: number): { char: string | undefined; at: number } {
  let at = index + 1;
  while (at < text.length && isSpace(text[at])) at++;
  return { char: text[at], at };
}

export const halfwidthPunctuation: TextRule = {
  id: 'halfwidth-punctuation',
  severity: 'error',
  kinds: ['paragraph', 'heading', 'caption', 'credit', 'alt', 'meta'],
  check(text) {
    const hits: TextHit[] = [];
    for (let index = 0; index < text.length; index++) {
      const mark = text[index];
      const full = FULL_WIDTH[mark];
      if (!full) continue;
      // Only the immediate neighbours decide, so `10:30`, `(a)` and English asides are left alone.
      if (!isHanContext(text[index - 1]) && !isHanContext(text[index + 1])) continue;
      // Spaces around a full-width mark would double its built-in space: take them out with it.
      const left = before(text, index);
      const right = after(text, index);
      const start = isHanContext(left.char) || left.char === undefined ? left.at : index;
      const end = isHanContext(right.char) || right.char === undefined ? right.at : index + 1;
      hits.push({
        start: index,
        end: index + 1,
        message: `half-width \`${mark}\` in Chinese text; use the full-width \`${full}\``,
        fix: { start, end, text: full, safe: true },
      });
    }
    return hits;
  },
};

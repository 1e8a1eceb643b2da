// halfwidth-punctuation: `,` `:` `;` `?` `!` `(` `)` `.` `"` next to Han characters, where a newspaper sets full-width marks.
import { isHan, isHanContext, isSpace } from '../chars.ts';
import type { TextHit, TextRule } from '../types.ts';
import { PROSE_AND_HEADS } from '../kinds.ts';

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
  kinds: PROSE_AND_HEADS,
  check(text) {
    const hits: TextHit[] = [];
    let quotes = 0;
    for (let index = 0; index < text.length; index++) {
      const mark = text[index];
      if (mark === '"') {
        quotes++;
        if (!isHanContext(text[index - 1]) && !isHanContext(text[index + 1])) continue;
        // Which way a straight quote turns is a guess from its order, so the editor confirms it.
        const curly = quotes % 2 ? '“' : '”';
        hits.push({ start: index, end: index + 1, message: '中文里用了直引号「"」，应为「“」「”」', fix: { start: index, end: index + 1, text: curly, safe: false } });
        continue;
      }
      if (mark === '.') {
        // A full stop only after a Han character, ending the text or followed by more Chinese; never in 7.5, a.txt or ...
        const next = text[index + 1];
        if (!isHan(text[index - 1]) || next === '.' || !(next === undefined || /\s/.test(next) || isHanContext(next))) continue;
        hits.push({ start: index, end: index + 1, message: '中文里用了半角「.」，应为全角「。」', fix: { start: index, end: index + 1, text: '。', safe: true } });
        continue;
      }
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
        message: `中文里用了半角「${mark}」，应为全角「${full}」`,
        fix: { start, end, text: full, safe: true },
      });
    }
    return hits;
  },
};

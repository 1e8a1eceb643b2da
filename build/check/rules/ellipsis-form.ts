// ellipsis-form: `...`, `。。。`, `⋯`, `···` or a lone `…` where Chinese text takes the six-dot ellipsis `……`.
import { isHanContext, isSpace } from '../chars.ts';
import type { TextHit, TextRule } from '../types.ts';
import { PROSE_AND_HEADS } from '../kinds.ts';

// `……` is the form; `…………` (two of them) marks a whole omitted paragraph and is also right.
const WRONG = /\.{3,}|。{3,}|⋯+|·{3,}|…+/g;

export const ellipsisForm: TextRule = {
  id: 'ellipsis-form',
  severity: 'error',
  kinds: PROSE_AND_HEADS,
  check(text) {
    const hits: TextHit[] = [];
    for (const match of text.matchAll(WRONG)) {
      const found = match[0];
      if (found === '……' || found === '…………') continue;
      let start = match.index;
      let end = start + found.length;
      // Three dots in Latin text (an English quotation) are that language's ellipsis.
      if (found.startsWith('.') && !isHanContext(text[start - 1]) && !isHanContext(text[end])) continue;
      while (start > 0 && isSpace(text[start - 1])) start--;
      while (end < text.length && isSpace(text[end])) end++;
      hits.push({
        start: match.index,
        end: match.index + found.length,
        message: `「${found}」不是中文省略号，应为「……」`,
        fix: { start, end, text: '……', safe: true },
      });
    }
    return hits;
  },
};

// truncated-paragraph: a body paragraph that stops without closing punctuation, as a story cut at a page turn does.
import { CLOSING_PUNCTUATION } from '../chars.ts';
import type { TextRule } from '../types.ts';

export const truncatedParagraph: TextRule = {
  id: 'truncated-paragraph',
  severity: 'error',
  kinds: ['paragraph'],
  check(text) {
    const end = text.trimEnd().length;
    if (end === 0 || CLOSING_PUNCTUATION.includes(text[end - 1])) return [];
    const tail = text.slice(Math.max(0, end - 8), end).replace(/\s+/g, ' ');
    return [{
      start: end - 1,
      end,
      message: `the paragraph ends without closing punctuation (…${tail}); it may be cut off — complete it, or mark a deliberate exception with a banmian-disable-next-line comment`,
    }];
  },
};

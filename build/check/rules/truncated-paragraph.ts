// truncated-paragraph: a body paragraph that stops without closing punctuation, as a story cut at a page turn does.
import { CLOSING_PUNCTUATION } from '../chars.ts';
import type { TextRule } from '../types.ts';

/** A numbered label standing as its own line (1、标题 / 一、 / （二） / (3)): a head, not a paragraph cut short. */
const ITEM_LABEL = /^\s*(?:(?:\d{1,3}|[一二三四五六七八九十]{1,3})[、.．]|[（(](?:\d{1,3}|[一二三四五六七八九十]{1,3})[）)])\s*\S[^。！？\n]{0,40}$/u;

export const truncatedParagraph: TextRule = {
  id: 'truncated-paragraph',
  severity: 'error',
  kinds: ['paragraph'],
  check(text) {
    const end = text.trimEnd().length;
    if (end === 0 || CLOSING_PUNCTUATION.includes(text[end - 1]) || ITEM_LABEL.test(text)) return [];
    const tail = text.slice(Math.max(0, end - 8), end).replace(/\s+/g, ' ');
    return [{
      start: end - 1,
      end,
      message: `段落结尾没有标点（…${tail}），可能被截断：补全它，或用 banmian-disable-next-line 注释标明是有意为之`,
    }];
  },
};

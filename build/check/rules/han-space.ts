// han-space: stray spaces between Han characters or next to full-width punctuation in running text.
import type { TextHit, TextRule } from '../types.ts';
import { PROSE } from '../kinds.ts';

const HAN_CONTEXT = String.raw`\p{Script=Han}，。、；：？！“”‘’「」『』（）《》〈〉【】…—`;
const STRAY = new RegExp(`(?<=[${HAN_CONTEXT}])[ \\t\\u3000]+(?=[${HAN_CONTEXT}])`, 'gu');

export const hanSpace: TextRule = {
  id: 'han-space',
  severity: 'warning',
  // Heads, the kicker and credits separate phrases and names with a space on purpose (打造新高地 链群攀高峰).
  kinds: PROSE,
  check(text) {
    return [...text.matchAll(STRAY)].map((match): TextHit => ({
      start: match.index,
      end: match.index + match[0].length,
      message: '汉字之间多了空格：中文排版不留空格',
      fix: { start: match.index, end: match.index + match[0].length, text: '', safe: false },
    }));
  },
};

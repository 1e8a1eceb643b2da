// han-latin-space: a typed space between Han and Latin letters or digits; the print CSS (text-autospace) sets that gap itself.
import type { TextHit, TextRule } from '../types.ts';
import { PROSE } from '../kinds.ts';

const TYPED = /(?<=\p{Script=Han})[ \t]+(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%])[ \t]+(?=\p{Script=Han})/gu;

export const hanLatinSpace: TextRule = {
  id: 'han-latin-space',
  severity: 'warning',
  kinds: PROSE,
  check(text) {
    return [...text.matchAll(TYPED)].map((match): TextHit => ({
      start: match.index,
      end: match.index + match[0].length,
      message: 'typed space between Chinese and Latin text; newspapers set AGV小车, and the page adds the small gap itself',
      fix: { start: match.index, end: match.index + match[0].length, text: '', safe: false },
    }));
  },
};

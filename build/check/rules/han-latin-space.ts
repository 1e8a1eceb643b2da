// han-latin-space: the space between Han and Latin letters or digits, checked against the article's own
// convention. Most newsroom copy sets none (AGV小车; the print CSS adds the small gap itself) and a typed
// space is flagged; an article that mostly types one (as many technical documents do) is held to that instead.
import type { TextHit, TextRule } from '../types.ts';
import { PROSE } from '../kinds.ts';

const TYPED = /(?<=\p{Script=Han})[ \t]+(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%])[ \t]+(?=\p{Script=Han})/gu;
const UNSPACED = /(?<=\p{Script=Han})(?=[A-Za-z0-9])|(?<=[A-Za-z0-9%])(?=\p{Script=Han})/gu;

const conventions = new WeakMap<readonly string[], boolean>();

/** Whether the texts type a space between Han and Latin more often than not. */
function spaced(all: readonly string[]): boolean {
  let convention = conventions.get(all);
  if (convention === undefined) {
    const count = (pattern: RegExp) => all.reduce((sum, text) => sum + [...text.matchAll(pattern)].length, 0);
    convention = count(TYPED) > count(UNSPACED);
    conventions.set(all, convention);
  }
  return convention;
}

export const hanLatinSpace: TextRule = {
  id: 'han-latin-space',
  severity: 'warning',
  kinds: PROSE,
  check(text, context) {
    if (spaced(context?.all ?? [text])) {
      return [...text.matchAll(UNSPACED)].map((match): TextHit => ({
        start: match.index,
        end: match.index,
        message: '本文中西文之间多数留有空格，这里没有；请统一写法',
        fix: { start: match.index, end: match.index, text: ' ', safe: false },
      }));
    }
    return [...text.matchAll(TYPED)].map((match): TextHit => ({
      start: match.index,
      end: match.index + match[0].length,
      message: '中西文之间多打了空格：报纸排作“AGV小车”，版面会自动留出小间距',
      fix: { start: match.index, end: match.index + match[0].length, text: '', safe: false },
    }));
  },
};

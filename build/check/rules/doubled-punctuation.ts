// doubled-punctuation: two pause or stop marks in a row (，， 。， 、；), a slip of the keyboard or of an edit.
import type { TextHit, TextRule } from '../types.ts';
import { PROSE_AND_HEADS } from '../kinds.ts';

// ？！ and ！？ are a legitimate pair (a surprised question); everything else here is one mark too many.
const DOUBLED = /[，。、；：]{2,}|？{2,}|！{2,}|[，。、；：][？！]|[？！][，、；：]/g;

export const doubledPunctuation: TextRule = {
  id: 'doubled-punctuation',
  severity: 'error',
  kinds: PROSE_AND_HEADS,
  check(text) {
    // Three or more 。 are a malformed ellipsis, which ellipsis-form reports.
    return [...text.matchAll(DOUBLED)].filter((match) => !/^。{3,}$/.test(match[0])).map((match): TextHit => {
      const found = match[0];
      // Which mark was meant is the editor's call; keeping the first is only a suggestion.
      return {
        start: match.index,
        end: match.index + found.length,
        message: `标点重复「${found}」，保留一个`,
        fix: { start: match.index, end: match.index + found.length, text: found[0], safe: false },
      };
    });
  },
};

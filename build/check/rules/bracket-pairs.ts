// bracket-pairs: quotes and brackets that are not closed, closed without being opened, or closed by the wrong mark.
import type { TextHit, TextRule } from '../types.ts';
import { PROSE_AND_HEADS } from '../kinds.ts';

const CLOSER_OF: Record<string, string> = { '“': '”', '‘': '’', '「': '」', '『': '』', '（': '）', '《': '》', '〈': '〉', '【': '】' };
const OPENER_OF = Object.fromEntries(Object.entries(CLOSER_OF).map(([open, close]) => [close, open]));
const LATIN = /[A-Za-z]/;

export const bracketPairs: TextRule = {
  id: 'bracket-pairs',
  severity: 'error',
  kinds: PROSE_AND_HEADS,
  check(text, context) {
    const hits: TextHit[] = [];
    const open: { mark: string; at: number }[] = [];
    // How many of each opener are on the stack, so a long run of unclosed marks stays linear.
    const depth = new Map<string, number>();
    const push = (mark: string, at: number) => { open.push({ mark, at }); depth.set(mark, (depth.get(mark) ?? 0) + 1); };
    const pop = () => { const top = open.pop()!; depth.set(top.mark, depth.get(top.mark)! - 1); };
    for (let index = 0; index < text.length; index++) {
      const mark = text[index];
      if (CLOSER_OF[mark]) {
        push(mark, index);
        continue;
      }
      const opener = OPENER_OF[mark];
      if (!opener) continue;
      // ’ between Latin letters is an apostrophe (it’s), not a closing quote.
      if (mark === '’' && LATIN.test(text[index - 1] ?? '') && LATIN.test(text[index + 1] ?? '')) continue;
      const top = open.at(-1);
      if (top?.mark === opener) {
        pop();
      } else if (top && depth.get(opener)) {
        // Closed while an inner mark is still open: the inner one is the mistake.
        hits.push({ start: top.at, end: top.at + 1, message: `「${top.mark}」在「${mark}」之前没有闭合，补上「${CLOSER_OF[top.mark]}」` });
        while (open.at(-1)!.mark !== opener) pop();
        pop();
      } else if (top) {
        hits.push({ start: index, end: index + 1, message: `「${top.mark}」被「${mark}」闭合，应为「${CLOSER_OF[top.mark]}」` });
        pop();
      } else {
        hits.push({ start: index, end: index + 1, message: `「${mark}」前面没有对应的「${opener}」` });
      }
    }
    // The quotation convention for several paragraphs: each opens with “ and only the last one closes.
    const continued = open.length && context?.next?.trimStart().startsWith(open[0].mark) ? open.filter((entry) => entry.mark === open[0].mark) : [];
    for (const { mark, at } of open) {
      if (continued.some((entry) => entry.at === at)) continue;
      hits.push({ start: at, end: at + 1, message: `「${mark}」没有闭合，补上「${CLOSER_OF[mark]}」` });
    }
    return hits.sort((a, b) => a.start - b.start);
  },
};

// dash-form: a dash (破折号) must be two em dashes `——`; a single `—` is only right as a connector (一字线).
import { isHanContext, isSpace } from '../chars.ts';
import type { TextHit, TextRule } from '../types.ts';
import { PROSE_AND_HEADS } from '../kinds.ts';

const DASHES = /—+|―+|─+|－{2,}|-{2,}/g;
const ALNUM = /[\p{L}\p{N}]/u;
const CLAUSE_END = /[，。、；：？！,.;:?!\n]/;

/** For each index of `text`, the number of single `—` in its clause (the text between two pause or stop marks). */
function singleDashesPerClause(text: string): (index: number) => number {
  const clauseOf = new Int32Array(text.length + 1);
  const counts = [0];
  for (let index = 0; index < text.length; index++) {
    if (CLAUSE_END.test(text[index])) counts.push(0);
    clauseOf[index] = counts.length - 1;
    if (text[index] === '—' && text[index - 1] !== '—' && text[index + 1] !== '—') counts[counts.length - 1]++;
  }
  return (index) => counts[clauseOf[index]];
}

/**
 * A single `—` joining words into a series (世界级—国家级—省级) or a range (1949—2019) is a connector,
 * per GB/T 15834-2011 §4.13; anywhere else it stands for a dash and is one em short.
 */
function isConnector(text: string, index: number, dashesInClause: (index: number) => number): boolean {
  const previous = text[index - 1];
  const next = text[index + 1];
  if (!ALNUM.test(previous ?? '') || !ALNUM.test(next ?? '')) return false;
  if (/\p{N}/u.test(previous) && /\p{N}/u.test(next)) return true;
  return dashesInClause(index) > 1;
}

export const dashForm: TextRule = {
  id: 'dash-form',
  severity: 'warning',
  kinds: PROSE_AND_HEADS,
  check(text) {
    const hits: TextHit[] = [];
    const dashesInClause = singleDashesPerClause(text);
    for (const match of text.matchAll(DASHES)) {
      const found = match[0];
      const at = match.index;
      if (found === '——') continue;
      if (found === '—' && isConnector(text, at, dashesInClause)) continue;
      // Hyphens and box-drawing lines only count where they stand between Chinese words.
      if (!found.startsWith('—') && !isHanContext(text[at - 1]) && !isHanContext(text[at + found.length])) continue;
      let start = at;
      let end = at + found.length;
      while (start > 0 && isSpace(text[start - 1])) start--;
      while (end < text.length && isSpace(text[end])) end++;
      hits.push({
        start: at,
        end: at + found.length,
        message: found === '—'
          ? '单个「—」是连接号；破折号应为「——」'
          : `「${found}」不是中文破折号，应为「——」`,
        fix: { start, end, text: '——', safe: true },
      });
    }
    return hits;
  },
};

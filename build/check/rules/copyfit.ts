// copyfit: the article against its `pages` target — overset (runs past the target) or underset (leaves space
// empty) — as one amount, in body lines and in the characters those lines hold, and where the text runs over.
import { UNCOUNTED, type PageStart } from '../../print/page-map.ts';
import type { CopyfitMeasure } from '../copyfit.ts';
import type { Severity } from '../types.ts';

export const COPYFIT = 'copyfit';

export interface CopyfitHit {
  severity: Severity;
  /** Lines over (positive) or under (negative) the target. */
  lines: number;
  /** The same amount in characters of body text (lines × characters per column line). */
  characters: number;
  message: string;
  /** Overset only: where the first page past the target starts, the point the text runs over. */
  at?: PageStart;
}

/**
 * Compares the measured pages with the target. Overset is the column space used past the target's last
 * page; underset the empty column space on the pages up to the target. Both in lines, and in characters
 * at the column's measure.
 *
 * @example
 * copyfit({ pages: [{ capacity: 800, used: 800, textLines: 200 }, { capacity: 800, used: 40, textLines: 40 }], charactersPerLine: 13, pageMap }, 1);
 * // { severity: 'error', lines: 40, characters: 520, at: pageMap[1], message: '超版 40 行（约 520 字）：…' }
 */
export function copyfit(measure: CopyfitMeasure, target: number): CopyfitHit | undefined {
  const { pages, charactersPerLine, pageMap } = measure;
  const count = pages.length;
  if (count > target) {
    const lines = pages.slice(target).reduce((sum, page) => sum + page.used, 0);
    const characters = lines * charactersPerLine;
    return {
      severity: 'error',
      lines,
      characters,
      at: pageMap[target],
      message: `超版 ${lines} 行（约 ${characters} 字）：全文排成 ${count} 版，目标 ${target} 版，从这里起的文字排到了第 ${target + 1} 版。删去约 ${lines} 行，或调高 \`pages\`。`,
    };
  }
  const last = pages[count - 1];
  const lines = (target - count) * last.capacity + (last.capacity - last.used);
  if (lines <= 0) return undefined;
  const characters = lines * charactersPerLine;
  return {
    severity: 'warning',
    lines: -lines,
    characters,
    message: `缺稿 ${lines} 行（约 ${characters} 字）：全文排成 ${count} 版，目标 ${target} 版，版面还空着 ${lines} 行。补约 ${lines} 行文字或一幅图片，或调低 \`pages\`。`,
  };
}

/**
 * The source position (1-based line and column) of the first characters set on a page: searched from the line
 * of the block the page starts in, whitespace and Markdown marks aside; the block's line when the text is not found.
 *
 * @example
 * pageStartPosition('标题\n\n第一段。第二版从这里开始', { page: 2, line: 3, offset: 4, text: '第二版从这里开始' }); // { line: 3, column: 5 }
 */
export function pageStartPosition(source: string, start: PageStart): { line: number; column: number } | undefined {
  if (start.line === undefined) return undefined;
  const lines = source.split('\n');
  const needle = [...start.text.replace(UNCOUNTED, '')].slice(0, 8);
  if (needle.length) {
    for (let line = start.line - 1; line < lines.length; line++) {
      const characters = [...lines[line]];
      const kept = characters.flatMap((character, index) => (/[\s*_`~]/.test(character) ? [] : [{ character, index }]));
      const found = kept.findIndex((_, k) => needle.every((wanted, j) => kept[k + j]?.character === wanted));
      if (found >= 0) return { line: line + 1, column: characters.slice(0, kept[found].index).join('').length + 1 };
    }
  }
  return { line: start.line, column: 1 };
}

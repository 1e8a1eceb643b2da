// copyfit: the article against its `pages` target, in body lines — overset (runs past the target) or underset (leaves space empty).
import type { CopyfitMeasure } from '../copyfit.ts';
import type { Severity } from '../types.ts';

export const COPYFIT = 'copyfit';

export interface CopyfitHit {
  severity: Severity;
  /** Lines over (positive) or under (negative) the target. */
  lines: number;
  message: string;
}

/**
 * Compares the measured pages with the target. Overset counts every line of column space used past the
 * target's last page; underset counts the empty lines left on the pages up to the target.
 *
 * @example
 * copyfit({ pages: [{ capacity: 800, used: 800, textLines: 200 }, { capacity: 800, used: 40, textLines: 40 }], charactersPerLine: 13 }, 1)?.lines; // 40
 */
export function copyfit(measure: CopyfitMeasure, target: number): CopyfitHit | undefined {
  const { pages, charactersPerLine } = measure;
  const count = pages.length;
  const filled = `${count} page${count === 1 ? '' : 's'}`;
  if (count > target) {
    const past = pages.slice(target);
    const lines = past.reduce((sum, page) => sum + page.used, 0);
    const textLines = past.reduce((sum, page) => sum + page.textLines, 0);
    const from = past[0].firstSourceLine;
    return {
      severity: 'error',
      lines,
      message: `overset by ${lines} lines: the article fills ${filled} against a target of ${target} (${textLines} lines of text past page ${target}${from ? `; the first paragraph to start there is on line ${from}` : ''}); cut about ${lines} lines (≈ ${lines * charactersPerLine} characters), or raise \`pages\``,
    };
  }
  const last = pages[count - 1];
  const lines = (target - count) * last.capacity + (last.capacity - last.used);
  if (lines <= 0) return undefined;
  return {
    severity: 'warning',
    lines: -lines,
    message: `underset by ${lines} lines: the article fills ${filled} against a target of ${target}, leaving ${lines} lines of column space empty; add about ${lines} lines (≈ ${lines * charactersPerLine} characters) or a photo, or lower \`pages\``,
  };
}

// `--fix`: applies the safe fixes to the article text and leaves every other byte as it was.
import { lineStartsOf, offsetAt } from '../model/lines.ts';
import type { Finding } from './types.ts';

/**
 * Applies each finding's fix marked safe, from the end of the file backwards; a fix overlapping one
 * already applied is left for the next run rather than guessed at.
 *
 * @example
 * applySafeFixes('长沙,制造', findings).text; // '长沙，制造'
 */
export function applySafeFixes(source: string, findings: Finding[]): { text: string; applied: number } {
  const lineStarts = lineStartsOf(source);
  const edits = findings
    .filter((finding) => finding.fix?.safe)
    .map(({ fix }) => ({
      start: offsetAt(lineStarts, fix!.line, fix!.column),
      end: offsetAt(lineStarts, fix!.endLine, fix!.endColumn),
      text: fix!.text,
    }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let text = source;
  let limit = Infinity;
  let applied = 0;
  for (const edit of edits) {
    if (edit.end > limit) continue;
    text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
    limit = edit.start;
    applied++;
  }
  return { text, applied };
}

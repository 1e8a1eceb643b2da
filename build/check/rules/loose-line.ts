// loose-line: a justified line spaced past a quarter em a character because a Latin run (a number, a unit, a
// name) that cannot break would not fit on it: the layout cannot take the space away, the editor can.
import type { LooseLine } from '../../print/page-measure.ts';

export const LOOSE_LINE = 'loose-line';

/**
 * The message for a loose line the layout left.
 *
 * @example
 * looseLineMessage({ run: '45.5%', extra: 0.34, page: 2 });
 * // '第 2 版有一行字距过松（每字多出 0.34 em）：西文串“45.5%”不能断开，排不进这一行。可改写这句话，或在串中加空格让它能断开。'
 */
export function looseLineMessage({ run, extra, page }: LooseLine): string {
  return `第 ${page} 版有一行字距过松（每字多出 ${extra.toFixed(2)} em）：西文串“${run}”不能断开，排不进这一行。可改写这句话，或在串中加空格让它能断开。`;
}

// The proofreading rules in the order they run; each id is permanent, since directives and `disable:` name it.
import { bracketPairs } from './bracket-pairs.ts';
import { dashForm } from './dash-form.ts';
import { doubledPunctuation } from './doubled-punctuation.ts';
import { ellipsisForm } from './ellipsis-form.ts';
import { halfwidthPunctuation } from './halfwidth-punctuation.ts';
import { hanLatinSpace } from './han-latin-space.ts';
import { hanSpace } from './han-space.ts';
import { truncatedParagraph } from './truncated-paragraph.ts';
import type { TextRule } from '../types.ts';

export const TEXT_RULES: readonly TextRule[] = [
  halfwidthPunctuation,
  bracketPairs,
  ellipsisForm,
  dashForm,
  doubledPunctuation,
  hanSpace,
  hanLatinSpace,
  truncatedParagraph,
];

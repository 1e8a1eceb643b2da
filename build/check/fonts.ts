// Which characters each typeface stack of the print page can set, read from the declared font files' cmaps.
import * as fontkit from 'fontkit';
import { FONT_FACES, FONT_STACKS } from '../print/fonts.ts';
import type { BlockKind } from '../model/text.ts';

export type StackName = keyof typeof FONT_STACKS;

/** The stack each kind of printed text is set in (styles/print.css): Song for text, 黑体 for heads and code, 楷体 for quotes, captions, credits and the byline. */
export const STACK_FOR: Record<Exclude<BlockKind, 'alt' | 'meta'>, StackName> = {
  paragraph: 'serif',
  item: 'serif',
  cell: 'serif',
  note: 'serif',
  quote: 'kai',
  heading: 'sans',
  code: 'mono',
  caption: 'kai',
  credit: 'kai',
};

export type Coverage = Record<StackName, (codePoint: number) => boolean>;

let loaded: Promise<Coverage> | undefined;

/** Reads every declared face once per process; a character is covered when some face of the stack maps it. */
export function loadCoverage(): Promise<Coverage> {
  loaded ??= (async () => {
    const sets = new Map<string, Set<number>>();
    for (const face of FONT_FACES) {
      const font = fontkit.openSync(face.file);
      const characters = 'characterSet' in font ? font.characterSet : font.fonts[0].characterSet;
      const set = sets.get(face.family) ?? new Set<number>();
      for (const codePoint of characters) set.add(codePoint);
      sets.set(face.family, set);
    }
    const stack = (name: StackName) => {
      const families = [...FONT_STACKS[name].matchAll(/'([^']+)'/g)].map((match) => sets.get(match[1]) ?? new Set<number>());
      return (codePoint: number) => families.some((set) => set.has(codePoint));
    };
    return { serif: stack('serif'), sans: stack('sans'), kai: stack('kai'), mono: stack('mono') };
  })();
  return loaded;
}

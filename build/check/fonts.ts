// Which characters each typeface stack of the print page can set, read from the declared font files' cmaps.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../output/write.ts';
import { CACHE_DIR } from '../print/document.ts';
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
    for (const [family, codePoints] of await characterSets()) {
      const set = sets.get(family) ?? new Set<number>();
      for (const codePoint of codePoints) set.add(codePoint);
      sets.set(family, set);
    }
    const stack = (name: StackName) => {
      const families = [...FONT_STACKS[name].matchAll(/'([^']+)'/g)].map((match) => sets.get(match[1]) ?? new Set<number>());
      return (codePoint: number) => families.some((set) => set.has(codePoint));
    };
    return { serif: stack('serif'), sans: stack('sans'), kai: stack('kai'), mono: stack('mono') };
  })();
  return loaded;
}

/**
 * Each declared face's family and characters (decoding every face takes seconds: WOFF2 is brotli-compressed),
 * from the cache when its key (the faces' paths, sizes and times) matches.
 */
async function characterSets(): Promise<[string, number[]][]> {
  const stats = await Promise.all(FONT_FACES.map((face) => stat(face.file)));
  const key = createHash('sha256').update(JSON.stringify(FONT_FACES.map((face, index) => [face.family, face.file, stats[index].size, stats[index].mtimeMs]))).digest('hex').slice(0, 16);
  const file = path.join(CACHE_DIR, `coverage-${key}.json`);
  const cached = await readFile(file, 'utf8').then((text) => JSON.parse(text) as [string, number[]][], () => undefined);
  if (cached) return cached;
  // Loaded only here: reading the cache needs no font parser, and fontkit takes ~0.1 s to load.
  const fontkit = await import('fontkit');
  const sets = FONT_FACES.map((face): [string, number[]] => {
    const font = fontkit.openSync(face.file);
    return [face.family, 'characterSet' in font ? font.characterSet : font.fonts[0].characterSet];
  });
  // Written beside, then renamed: a parallel run never reads half a file.
  await writeFileAtomic(file, JSON.stringify(sets));
  return sets;
}

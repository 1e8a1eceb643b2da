// The faces a paginating page loads, cut to the characters its document can show. A whole CJK face (7,000 to
// 20,000 glyphs, 1.1 to 15.7 MB) took ~0.3 s of the renderer's main thread to decode in a first render, and
// Chromium cut it again for the PDF (~0.1 s); a cut of the article's few hundred characters decodes in
// milliseconds. HarfBuzz's subsetter (subset-font) keeps every OpenType feature of the glyphs kept, so the
// punctuation widths (halt, chws), vertical forms and kerning lay out as with the whole face, glyph for glyph.
// The characters are the document's own source — text, markup and attributes alike — with every stylesheet
// and page script that may add text (running heads, 续, counters), and whole blocks of punctuation and ASCII,
// which Chromium's punctuation trimming measures in the face whatever the text holds.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { convert } from 'fontverter';
import subsetFont from 'subset-font';
import { writeFileAtomic } from '../output/write.ts';
import { CACHE_DIR, PAGED_HANDLERS, STYLES } from './document.ts';
import { FONT_FACES, type FontFace } from './fonts.ts';

/** The faces cut: the first of each family stack, which set almost every glyph; the fallbacks load whole, when used at all. */
export const CUT_FACES: readonly FontFace[] = FONT_FACES.filter(({ family }) => ['Noto Serif SC', 'Noto Sans SC', 'LXGW WenKai'].includes(family));

/** Always kept: ASCII, Latin-1, General Punctuation, CJK Symbols and Punctuation, the full-width forms, CJK numerals. */
const BASE_CHARACTERS = [[0x20, 0x7e], [0xa0, 0xff], [0x2000, 0x206f], [0x3000, 0x303f], [0xff00, 0xffef]]
  .flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, index) => String.fromCodePoint(from + index)))
  .join('') + '〇一二三四五六七八九十百千';

/** What the stylesheets and page scripts can write on a page, read once per process. */
const addedText = (() => {
  let text: string | undefined;
  return () => (text ??= [...STYLES, ...PAGED_HANDLERS].map((file) => readFileSync(file, 'utf8')).join('\n'));
})();

export interface FaceCut {
  face: FontFace;
  /** The cut face, TrueType. */
  bytes: Uint8Array;
  /** Names the cut by its content: the same document gives the same name. */
  name: string;
}

/** Cuts every face of CUT_FACES to the characters of `source` (the print document's HTML). */
export async function cutFaces(source: string): Promise<FaceCut[]> {
  const characters = [...new Set(BASE_CHARACTERS + addedText() + source)].sort().join('');
  return Promise.all(CUT_FACES.map(async (face) => {
    const bytes = new Uint8Array(await subsetFont(await wholeFace(face), characters, { targetFormat: 'truetype' }));
    return { face, bytes, name: `${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.ttf` };
  }));
}

/** Each face read once per process: the articles of one build share it. */
const wholeFaces = new Map<FontFace, Promise<Buffer>>();

function wholeFace(face: FontFace): Promise<Buffer> {
  let whole = wholeFaces.get(face);
  if (!whole) {
    wholeFaces.set(face, (whole = readWholeFace(face)));
    // A failed read is tried again by the next render (a long-running preview).
    whole.catch(() => wholeFaces.delete(face));
  }
  return whole;
}

/**
 * The face as TrueType: a WOFF2 file is unpacked once and kept in the cache (unpacking a CJK face takes
 * 50–100 ms; the cut itself 10–30 ms), keyed by the file's path, size and time.
 */
async function readWholeFace(face: FontFace): Promise<Buffer> {
  const original = await readFile(face.file);
  if (!face.file.endsWith('.woff2')) return original;
  const stats = statSync(face.file);
  const key = createHash('sha256').update(`${face.file}\0${stats.size}\0${stats.mtimeMs}`).digest('hex').slice(0, 16);
  const cached = path.join(CACHE_DIR, 'faces', `${path.basename(face.file, '.woff2')}-${key}.ttf`);
  const kept = await readFile(cached).catch(() => undefined);
  if (kept) return kept;
  const unpacked = await convert(original, 'truetype');
  await writeFileAtomic(cached, unpacked);
  return unpacked;
}

// The faces a paginating page loads, cut to the characters its document can show. A whole CJK face (7,000 to
// 20,000 glyphs, 1.1 to 15.7 MB) took ~0.3 s of the renderer's main thread to decode in a first render, and
// Chromium cut it again for the PDF (~0.1 s); a cut of the article's few hundred characters decodes in
// milliseconds. HarfBuzz's subsetter (subset-font) keeps every OpenType feature of the glyphs kept, so the
// punctuation widths (halt, chws), vertical forms and kerning lay out as with the whole face, glyph for glyph.
// The characters are the document's own source — text, markup, attributes and the stylesheets written into
// it alike — with every page script that may add text (running heads, 续, counters), and whole blocks of
// punctuation and ASCII, which Chromium's punctuation trimming measures in the face whatever the text holds.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { writeFileAtomic } from '../output/write.ts';
import { CACHE_DIR, PAGED_HANDLERS } from './document.ts';
import { FONT_FACES, type FontFace } from './fonts.ts';

const require = createRequire(import.meta.url);

/** The faces cut: the first of each family stack, which set almost every glyph; the fallbacks load whole, when used at all. */
export const CUT_FACES: readonly FontFace[] = FONT_FACES.filter(({ family }) => ['Noto Serif SC', 'Noto Sans SC', 'LXGW WenKai'].includes(family));

/** Always kept: ASCII, Latin-1, General Punctuation, CJK Symbols and Punctuation, the full-width forms, CJK numerals. */
const BASE_CHARACTERS = [[0x20, 0x7e], [0xa0, 0xff], [0x2000, 0x206f], [0x3000, 0x303f], [0xff00, 0xffef]]
  .flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, index) => String.fromCodePoint(from + index)))
  .join('') + '〇一二三四五六七八九十百千';

/**
 * The characters every cut keeps, whatever the document: BASE_CHARACTERS and what the page scripts can write on
 * a page, gathered once per process (some 85,000 characters of files: ~5 ms a render). The stylesheets are
 * in the document itself.
 */
const alwaysKept = (() => {
  let kept: Set<string> | undefined;
  return () => (kept ??= new Set(BASE_CHARACTERS + PAGED_HANDLERS.map((file) => readFileSync(file, 'utf8')).join('\n')));
})();

export interface FaceCut {
  face: FontFace;
  /** The cut face, TrueType. */
  bytes: Uint8Array;
  /** Names the cut by its content (the same document gives the same name); worked out when asked, for a remote Chromium only. */
  readonly name: string;
  /**
   * Where the cut is kept (the cache): a Chromium we started reads it from there, as it reads the photos.
   * Sent over the DevTools connection instead, the cuts (some 1.7 MB, base64) took ~0.1 s of every render.
   */
  file: string;
}

/**
 * Cut sets kept in the cache, the most recently used: a build of an unchanged text, or of one whose edits
 * brought no new character, reuses its cuts (and skips loading HarfBuzz: ~0.15 s of a CLI run).
 */
const KEPT_CUT_SETS = 20;

/** Cuts every face of CUT_FACES to the characters of `source` (the print document's HTML). */
export async function cutFaces(source: string): Promise<FaceCut[]> {
  const characters = charactersOf(source);
  const dir = cutSetFolder(source, characters);
  const kept = await Promise.all(CUT_FACES.map((face) => readFile(path.join(dir, cutName(face))))).catch(() => undefined);
  if (kept?.every(isTrueType)) {
    await utimes(dir, new Date(), new Date()).catch(() => undefined);
    return kept.map((bytes, index) => faceCut(CUT_FACES[index], new Uint8Array(bytes), dir));
  }
  const { default: subsetFont } = await import('subset-font');
  const cuts = await Promise.all(CUT_FACES.map(async (face) => faceCut(face, new Uint8Array(await subsetFont(await wholeFace(face), characters, { targetFormat: 'truetype' })), dir)));
  for (const cut of cuts) await writeFileAtomic(path.join(dir, cutName(cut.face)), cut.bytes);
  await pruneCutSets();
  return cuts;
}

/**
 * Every character the cuts of `source` keep, in order. Each code point is looked at once, in a table of those
 * seen (a long article's document is a million characters of a few thousand: ~50 ms as a Set of strings).
 */
function charactersOf(source: string): string {
  const characters = new Set(alwaysKept());
  const seen = new Uint8Array(0x110000);
  for (let index = 0; index < source.length; index++) {
    const code = source.codePointAt(index)!;
    if (code > 0xffff) index++;
    if (seen[code]) continue;
    seen[code] = 1;
    characters.add(String.fromCodePoint(code));
  }
  return [...characters].sort().join('');
}

/** Where the cuts of `source` are kept. */
export const cutSetFolder = (source: string, characters = charactersOf(source)) =>
  path.join(CACHE_DIR, 'cuts', createHash('sha256').update(JSON.stringify([cutterIdentity(), characters])).digest('hex').slice(0, 24));

const faceCut = (face: FontFace, bytes: Uint8Array, dir: string): FaceCut => ({
  face,
  bytes,
  file: path.join(dir, cutName(face)),
  get name() {
    return `${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.ttf`;
  },
});

const cutName = (face: FontFace) => `${face.family.replace(/\W+/g, '-')}-${face.weight}.ttf`;

/** What a cut depends on besides its characters: each whole face and the subsetter (HarfBuzz's WebAssembly), by path, size and time. */
const cutterIdentity = (() => {
  let identity: string | undefined;
  const subsetter = () => createRequire(require.resolve('subset-font')).resolve('harfbuzzjs/dist/harfbuzz-subset.wasm');
  return () => (identity ??= JSON.stringify([...CUT_FACES.map((face) => face.file), subsetter()].map((file) => {
    const stats = statSync(file);
    return [file, stats.size, stats.mtimeMs];
  })));
})();

/** Removes all but the KEPT_CUT_SETS most recently used cut sets. */
async function pruneCutSets(): Promise<void> {
  const root = path.join(CACHE_DIR, 'cuts');
  const sets = await Promise.all((await readdir(root)).map(async (name) => ({ name, used: (await stat(path.join(root, name)).catch(() => undefined))?.mtimeMs ?? 0 })));
  const old = sets.sort((a, b) => b.used - a.used).slice(KEPT_CUT_SETS);
  await Promise.all(old.map(({ name }) => rm(path.join(root, name), { recursive: true, force: true })));
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
  if (!face.file.endsWith('.woff2')) return readFile(face.file);
  const stats = statSync(face.file);
  const key = createHash('sha256').update(`${face.file}\0${stats.size}\0${stats.mtimeMs}`).digest('hex').slice(0, 16);
  const cached = path.join(CACHE_DIR, 'faces', `${path.basename(face.file, '.woff2')}-${key}.ttf`);
  const kept = await readFile(cached).catch(() => undefined);
  if (kept && isTrueType(kept)) return kept;
  const unpacked = await unpackWoff2(await readFile(face.file));
  if (!isTrueType(unpacked)) throw new Error(`${face.file} did not unpack to a TrueType font`);
  await writeFileAtomic(cached, unpacked);
  return unpacked;
}

const isTrueType = (font: Buffer) => font.readUInt32BE(0) === 0x00010000 || ['true', 'OTTO'].includes(font.toString('latin1', 0, 4));

/**
 * Unpacks WOFF2, one face at a time: the unpacker (WebAssembly) hands back a view of its own memory, which
 * the next face's unpacking overwrites before the first is copied out — two at once made garbage.
 */
export const unpackWoff2 = (() => {
  let queue: Promise<unknown> = Promise.resolve();
  return (woff2: Buffer): Promise<Buffer> => {
    const unpacked = queue.then(async () => (await import('fontverter')).convert(woff2, 'truetype'));
    queue = unpacked.catch(() => undefined);
    return unpacked;
  };
})();

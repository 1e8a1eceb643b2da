// The text of the press PDF, as readable as the proof's. Ghostscript's pdfwrite re-embeds Chromium's CID fonts
// with the same CIDs but writes ToUnicode maps of its own, and gets two kinds of entry wrong: Chromium's ranges
// (`beginbfrange`: CIDs 00D7–00D8 → 、。) and characters of two code points (a ligature, "——"). On a real article
// 83 of 733 characters of one face came out as others (、 as "2", 这 as "à"), so the press PDF's text could not
// be searched or copied. The proof's maps are read (a face embedded in several subsets shares its CIDs: one map
// per face) and written again, character by character, on the fonts of Ghostscript's output.
import { inflateSync } from 'node:zlib';
import { PDFDict, PDFName, PDFRawStream, PDFRef, type PDFDocument } from 'pdf-lib';

/** Most entries one `beginbfchar` block may hold (the CMap format's limit). */
const BLOCK = 100;

/** Adds the entries of a ToUnicode CMap to `entries` (CID → UTF-16BE hex), ranges expanded. */
function addEntries(cmap: string, entries: Map<string, string>): void {
  for (const [, block] of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, cid, text] of block.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) entries.set(cid.toUpperCase(), text.toUpperCase());
  }
  for (const [, block] of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, low, high, target, list] of block.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(?:<([0-9A-Fa-f]+)>|\[([^\]]*)\])/g)) {
      const [first, last] = [parseInt(low, 16), parseInt(high, 16)];
      const listed = list ? [...list.matchAll(/<([0-9A-Fa-f]+)>/g)].map((match) => match[1].toUpperCase()) : undefined;
      for (let cid = first; cid <= last; cid++) {
        const text = listed ? listed[cid - first] : (BigInt(`0x${target}`) + BigInt(cid - first)).toString(16).toUpperCase().padStart(target.length, '0');
        if (text) entries.set(cid.toString(16).toUpperCase().padStart(low.length, '0'), text);
      }
    }
  }
}

/** A ToUnicode CMap of single-character entries. */
function charCmap(entries: Map<string, string>): string {
  const blocks: string[] = [];
  const list = [...entries];
  for (let start = 0; start < list.length; start += BLOCK) {
    const block = list.slice(start, start + BLOCK);
    blocks.push(`${block.length} beginbfchar\n${block.map(([cid, text]) => `<${cid}> <${text}>`).join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin', '12 dict begin', 'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def', '/CMapType 2 def',
    '1 begincodespacerange', '<0000> <FFFF>', 'endcodespacerange',
    ...blocks,
    'endcmap', 'CMapName currentdict /CMap defineresource pop', 'end', 'end', '',
  ].join('\n');
}

/** The composite fonts of `pdf`, with their face name (the subset tag taken off: `AAAAAA+Noto…` → `Noto…`). */
function* compositeFonts(pdf: PDFDocument): Generator<{ font: PDFDict; face: string }> {
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.lookup(PDFName.of('Subtype')) !== PDFName.of('Type0')) continue;
    const base = object.lookup(PDFName.of('BaseFont'));
    if (base instanceof PDFName) yield { font: object, face: base.decodeText().replace(/^[A-Z]{6}\+/, '') };
  }
}

/** Each face's ToUnicode entries in `proof` (CID → UTF-16BE hex), the maps of all its subsets together. */
export function readUnicodeMaps(proof: PDFDocument): Map<string, Map<string, string>> {
  const maps = new Map<string, Map<string, string>>();
  for (const { font, face } of compositeFonts(proof)) {
    const map = font.lookup(PDFName.of('ToUnicode'));
    if (!(map instanceof PDFRawStream)) continue;
    const filter = map.dict.lookup(PDFName.of('Filter'));
    if (filter !== undefined && filter !== PDFName.of('FlateDecode')) continue;
    if (!maps.has(face)) maps.set(face, new Map());
    addEntries(Buffer.from(filter ? inflateSync(map.contents) : map.contents).toString('latin1'), maps.get(face)!);
  }
  return maps;
}

/** Gives each composite font of `output` its face's ToUnicode map from the proof. */
export function restoreUnicodeMaps(output: PDFDocument, maps: Map<string, Map<string, string>>): void {
  for (const { font, face } of compositeFonts(output)) {
    const entries = maps.get(face);
    if (!entries?.size) continue;
    const stream = output.context.flateStream(charCmap(entries));
    const ref = font.get(PDFName.of('ToUnicode'));
    if (ref instanceof PDFRef) output.context.assign(ref, stream);
    else font.set(PDFName.of('ToUnicode'), output.context.register(stream));
  }
}

// Post-processing of epub-gen-memory's zip: stable image names, plain UTF-8 text, and a reproducible container.
import JSZip from 'jszip';

export interface RepackOptions {
  /** The EPUB as epub-gen-memory wrote it. */
  epub: Buffer;
  /** Stable file names (inside OEBPS/images/) for the images, in the order of their manifest items `image-1`, `image-2`, …. */
  imageNames: string[];
  /** Every entry's timestamp. */
  date: Date;
}

/** Entries that must come first, in this order: OCF wants `mimetype` first; the rest only help readers that stream. */
const LEADING = ['mimetype', 'META-INF/container.xml', 'OEBPS/content.opf'];
const TEXT = /\.(xhtml|opf|ncx|css|xml)$/;
/** Already compressed: deflating them again costs time and saves nothing. */
const STORED = /^mimetype$|\.(jpe?g|png|webp|gif)$/;

/**
 * Rewrites the zip so the same book always gives the same bytes: epub-gen-memory names images by
 * random UUIDs (renamed here by their manifest order, which follows the text), and its serializer
 * writes every non-ASCII character as a numeric reference (decoded here: the files are UTF-8, and
 * readers' search and text-to-speech see the characters). Entries are written in a fixed order
 * with one fixed date, `mimetype` first and uncompressed, no directory entries.
 */
export async function repackEpub({ epub, imageNames, date }: RepackOptions): Promise<Buffer> {
  const source = await JSZip.loadAsync(epub);
  const opf = await source.file('OEBPS/content.opf')!.async('string');
  const renames = new Map<string, string>();
  for (const [, index, href] of opf.matchAll(/<item id="image-(\d+)" href="images\/([^"]+)"/g)) {
    const name = imageNames[Number(index) - 1];
    if (!name) throw new Error(`epub-gen-memory made an image (${href}) that the article does not have`);
    renames.set(href, name);
  }
  if (renames.size !== imageNames.length) throw new Error(`expected ${imageNames.length} images in the EPUB, found ${renames.size}`);
  const rename = (entry: string) => entry.replace(/^OEBPS\/images\/(.+)$/, (whole, file: string) => (renames.has(file) ? `OEBPS/images/${renames.get(file)}` : whole));

  const entries = Object.values(source.files).filter((file) => !file.dir);
  const names = entries.map((file) => rename(file.name));
  const order = (name: string) => (LEADING.includes(name) ? LEADING.indexOf(name) : LEADING.length);
  const sorted = entries
    .map((file, i) => ({ file, name: names[i] }))
    .sort((a, b) => order(a.name) - order(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const target = new JSZip();
  for (const { file, name } of sorted) {
    const data = TEXT.test(name) ? fixText(await file.async('string'), renames) : await file.async('uint8array');
    target.file(name, data, { date, createFolders: false, compression: STORED.test(name) ? 'STORE' : 'DEFLATE', compressionOptions: { level: 9 } });
  }
  return target.generateAsync({ type: 'nodebuffer', mimeType: 'application/epub+zip', platform: 'DOS' });
}

function fixText(text: string, renames: Map<string, string>): string {
  let fixed = text.replace(/&#x([0-9a-f]+);/gi, (reference, hex: string) => {
    const code = parseInt(hex, 16);
    // Only non-ASCII: the ASCII references are the markup-significant ones (&#x3C; and the like).
    return code >= 0x80 ? String.fromCodePoint(code) : reference;
  });
  for (const [from, to] of renames) fixed = fixed.replaceAll(`images/${from}`, `images/${to}`);
  return fixed;
}

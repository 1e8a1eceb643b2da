// The PDF stage loads its faces cut to the characters of the print document (build/print/font-cuts.ts). A cut
// must set every character the whole face sets, keep its OpenType features and metrics, and lay text out in
// Chromium exactly as the whole face does; the same document must give the same cut (byte-identical PDFs).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as fontkit from 'fontkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArticle } from '../build/model/load.ts';
import { openBrowser, type BrowserSession } from '../build/print/browser.ts';
import { PROJECT_ROOT, renderPrintDocument } from '../build/print/document.ts';
import { CUT_FACES, cutFaces, cutSetFolder, unpackWoff2, type FaceCut } from '../build/print/font-cuts.ts';
import { PRESETS } from '../build/print/presets.ts';

const FIXTURE = path.join(PROJECT_ROOT, 'test/fixtures/constructs');

let source: string;
let cuts: FaceCut[];
let session: BrowserSession;

beforeAll(async () => {
  const article = await loadArticle(FIXTURE);
  source = renderPrintDocument({ article, preset: PRESETS.broadsheet, cropMarks: false, bleed: 0, assetUrl: (file) => file });
  [cuts, session] = await Promise.all([cutFaces(source), openBrowser({})]);
}, 60_000);

afterAll(() => session?.release());

const open = (bytes: Uint8Array) => fontkit.create(Buffer.from(bytes)) as fontkit.Font;

describe('faces cut to the document', () => {
  it('cuts the first face of each stack, each far smaller than the whole', () => {
    expect(cuts.map(({ face }) => `${face.family} ${face.weight}`)).toEqual(CUT_FACES.map((face) => `${face.family} ${face.weight}`));
    for (const { face, bytes } of cuts) expect(bytes.length, face.family).toBeLessThan(readFileSync(face.file).length / 2);
  });

  it('sets every character of the document the whole face sets, drawn alike, with the same features and metrics', () => {
    const characters = [...new Set(source + '，。、；：？！「」『』（）《》——……·“”')];
    for (const { face, bytes } of cuts) {
      const whole = open(readFileSync(face.file));
      const cut = open(bytes);
      const set = characters.filter((char) => whole.hasGlyphForCodePoint(char.codePointAt(0)!));
      expect(set.filter((char) => !cut.hasGlyphForCodePoint(char.codePointAt(0)!)), `${face.family} ${face.weight}`).toEqual([]);
      // The same outlines and advances: each character drawn as by the whole face.
      const glyph = (font: fontkit.Font, char: string) => font.glyphForCodePoint(char.codePointAt(0)!);
      const changed = set.filter((char) => glyph(cut, char).path.toSVG() !== glyph(whole, char).path.toSVG() || glyph(cut, char).advanceWidth !== glyph(whole, char).advanceWidth);
      expect(changed, `${face.family} ${face.weight}`).toEqual([]);
      // Features left with nothing to do on the glyphs kept (mark, vkrn) go; those that space CJK text stay.
      const features = new Set(cut.availableFeatures);
      expect([...features].filter((feature) => !whole.availableFeatures.includes(feature)), face.family).toEqual([]);
      const spacing = ['chws', 'halt', 'kern', 'palt', 'vchw', 'vert', 'vhal', 'vpal'].filter((feature) => whole.availableFeatures.includes(feature));
      expect(spacing.filter((feature) => !features.has(feature)), face.family).toEqual([]);
      expect([cut.unitsPerEm, cut.ascent, cut.descent, cut.lineGap], face.family).toEqual([whole.unitsPerEm, whole.ascent, whole.descent, whole.lineGap]);
    }
  });

  it('keeps the cuts of a document, and cutting it again gives the same bytes', async () => {
    const folder = cutSetFolder(source);
    expect(readdirSync(folder).sort()).toEqual(CUT_FACES.map((face) => `${face.family.replace(/\W+/g, '-')}-${face.weight}.ttf`).sort());
    rmSync(folder, { recursive: true, force: true });
    const again = await cutFaces(source);
    expect(again.map(({ name }) => name)).toEqual(cuts.map(({ name }) => name));
    for (const [index, { bytes }] of again.entries()) expect(Buffer.compare(Buffer.from(bytes), Buffer.from(cuts[index].bytes))).toBe(0);
    expect(existsSync(folder)).toBe(true);
    // Another document (one more character) has a folder of its own.
    expect(cutSetFolder(`${source}鸚`)).not.toBe(folder);
  });

  it('unpacks WOFF2 faces asked for all at once into sound TrueType, each as when unpacked alone', async () => {
    const packed = CUT_FACES.filter((face) => face.file.endsWith('.woff2')).map((face) => readFileSync(face.file));
    expect(packed.length).toBeGreaterThan(1);
    const together = await Promise.all(packed.map((font) => unpackWoff2(font)));
    for (const [index, font] of together.entries()) {
      expect(font.readUInt32BE(0)).toBe(0x00010000);
      expect(Buffer.compare(font, await unpackWoff2(packed[index]))).toBe(0);
    }
  }, 60_000);

  it('keeps only the 20 most recently used cut sets', async () => {
    const sources = Array.from({ length: 22 }, (_, index) => `${source}${String.fromCodePoint(0xe000 + index)}`);
    for (const each of sources) await cutFaces(each);
    const kept = sources.filter((each) => existsSync(cutSetFolder(each)));
    // Builds running beside this test may have added sets of their own since: these 22 are the oldest.
    expect(kept.length).toBeLessThanOrEqual(20);
    expect(kept).toEqual(sources.slice(sources.length - kept.length));
    expect(existsSync(cutSetFolder(sources.at(-1)!))).toBe(true);
  }, 60_000);

  it('lays the article out in Chromium character for character as the whole face does', async () => {
    const text = (await loadArticle(FIXTURE)).text.map((block) => block.printedText).join('\n');
    const page = await session.browser.newPage();
    try {
      // Each face twice, whole (its file) and cut (its bytes), set justified in a narrow column, with the
      // punctuation trimming and the half-width forms (halt) the print styles use.
      const dir = mkdtempSync(path.join(tmpdir(), 'banmian-font-cuts-'));
      const faces = cuts.map(({ face, bytes }, index) => {
        writeFileSync(path.join(dir, `cut${index}.ttf`), bytes);
        return `@font-face { font-family: whole${index}; font-weight: ${face.weight}; src: url("${pathToFileURL(face.file).href}"); }
        @font-face { font-family: cut${index}; font-weight: ${face.weight}; src: url("cut${index}.ttf"); }`;
      }).join('\n');
      writeFileSync(path.join(dir, 'page.html'), `<!doctype html><meta charset="utf-8"><style>${faces}
        div { width: 312px; font-size: 13px; line-height: 20px; text-align: justify; text-spacing-trim: trim-start; white-space: pre-wrap; }
        .halt { font-feature-settings: 'halt'; }</style><body></body>`);
      await page.goto(pathToFileURL(path.join(dir, 'page.html')).href);
      for (const [index, { face }] of cuts.entries()) {
        for (const halt of [false, true]) {
          const what = `${face.family} ${face.weight}${halt ? ' halt' : ''}`;
          const positions = await page.evaluate(async (index, weight, halt, text) => {
            document.body.replaceChildren();
            const place = (family: string) => {
              const div = document.createElement('div');
              div.id = family;
              div.style.fontFamily = `${family}${index}`;
              div.style.fontWeight = String(weight);
              if (halt) div.className = 'halt';
              div.textContent = text;
              document.body.append(div);
              return div;
            };
            const [whole, cut] = [place('whole'), place('cut')];
            await document.fonts.ready;
            const read = (div: HTMLElement) => {
              const node = div.firstChild!;
              const range = document.createRange();
              const top = div.getBoundingClientRect();
              const at: number[] = [];
              for (let offset = 0; offset < text.length; offset++) {
                range.setStart(node, offset);
                range.setEnd(node, offset + 1);
                const box = range.getBoundingClientRect();
                at.push(Math.round((box.left - top.left) * 64), Math.round((box.top - top.top) * 64));
              }
              return at;
            };
            return { whole: read(whole), cut: read(cut) };
          }, index, face.weight, halt, text);
          expect(positions.whole.length, what).toBeGreaterThan(1000);
          expect(positions.cut, what).toEqual(positions.whole);
        }
      }
    } finally {
      await page.close();
    }
  }, 120_000);
});

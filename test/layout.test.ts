// Page geometry in real Chromium after Paged.js, and the make-up editor's measures on the real PDF, for the
// default article and a corpus of varied ones on every preset: nothing outside its page's type area,
// photos and captions never split, glued punctuation never broken, no empty page; no holes (blank column
// space inside the type area), no strips (runs of text under 5 lines a column), baselines on one grid,
// no 孤字, heads broken only between phrases, photos in a row aligned, no loose lines (justified past 0.25 em
// a character, unless an unbreakable Latin run is the cause), nothing lost. The figures of every layout,
// photos cropped to less than three quarters among them, are printed after the run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArticle } from '../build/model/load.ts';
import { openBrowser, type BrowserSession } from '../build/print/browser.ts';
import { verifyNothingLost } from '../build/print/no-loss.ts';
import { paginate } from '../build/print/pdf.ts';
import { grid, PRESETS, type PresetName } from '../build/print/presets.ts';
import { writeCorpus, type CorpusArticle } from './helpers/corpus.ts';
import { DEFAULT_ARTICLE, missingSentences, normalise, sourceSentences } from './helpers/text.ts';

interface Geometry {
  pages: number;
  emptyPages: number[];
  outside: string[];
  splitFigures: string[];
  brokenGlue: string[];
  figures: number;
  /** Runs of text with fewer than 5 lines in a column, as "page: lines". */
  strips: string[];
  /** Body text lines, to tell an article shorter than a strip. */
  bodyLines: number;
  /** Paragraphs whose last line holds a single character. */
  lonely: string[];
  /** Heads and headline broken between two characters of a word. */
  headBreaks: string[];
  /** Photos of one row whose tops or bottoms differ by more than 1 pt. */
  misaligned: string[];
  /** Justified lines spaced more than 0.25 em per character, unless an unbreakable Latin run is the cause. */
  loose: string[];
  /** The loosest spacing of any such line, in em per character. */
  loosest: number;
  /** Photos whose box shows less than three quarters of their height or width. */
  cropped: string[];
  /** Per page, in points from the page's corner: the photos and the headline block, which count as filled. */
  solids: { page: number; left: number; top: number; right: number; bottom: number }[];
  /** The copyfit report of the last page's free area. */
  free: string | undefined;
  text: string;
}

/** Runs in the page: the DOM side of the measures. */
function measure(): Geometry {
  const pages = [...document.querySelectorAll('.pagedjs_page')];
  const outside: string[] = [];
  const emptyPages: number[] = [];
  const strips: string[] = [];
  const leading = parseFloat(getComputedStyle(document.querySelector('.pagedjs_pages .article-body')!).lineHeight);
  const lineTops = (nodes: Node[]) => {
    const tops = new Map<number, Set<number>>();
    for (const root of nodes) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const rect of range.getClientRects()) {
          if (rect.width < 0.5) continue;
          const column = Math.round(rect.left / 10);
          if (!tops.has(column)) tops.set(column, new Set());
          tops.get(column)!.add(Math.round(rect.top / 2));
        }
      }
    }
    return tops;
  };
  let bodyLines = 0;
  pages.forEach((page, index) => {
    const content = page.querySelector('.pagedjs_page_content')!;
    const box = content.getBoundingClientRect();
    // A character's box may carry the eighth of an em that text-autospace puts before a Latin run on the next line.
    const slack = parseFloat(getComputedStyle(content).fontSize) / 8 + 1;
    const inside = (rect: DOMRect) => rect.left >= box.left - 1 && rect.right <= box.right + slack && rect.top >= box.top - 1 && rect.bottom <= box.bottom + 1;
    const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    let text = '';
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent!.trim()) continue;
      text += node.textContent;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) {
        if (rect.width > 0 && !inside(rect)) outside.push(`page ${index + 1}: “${node.textContent!.trim().slice(0, 16)}”`);
      }
    }
    // A photo shows through its box (which crops it to the grid).
    content.querySelectorAll('.photo').forEach((photo) => {
      if (!inside(photo.getBoundingClientRect())) outside.push(`page ${index + 1}: photo ${photo.querySelector('img')!.getAttribute('src')}`);
    });
    if (!text.trim() && !content.querySelector('img')) emptyPages.push(index + 1);
    // Runs: the body's text blocks between two blocks that span the page.
    const body = content.querySelector('.article-body');
    if (!body) return;
    let run: Element[] = [];
    const endRun = () => {
      if (!run.length) return;
      const tops = lineTops(run);
      const rows = Math.round((Math.max(...[...tops.values()].map((set) => Math.max(...set))) - Math.min(...[...tops.values()].map((set) => Math.min(...set)))) * 2 / leading) + 1;
      const lines = [...tops.values()].reduce((sum, set) => sum + set.size, 0);
      bodyLines += lines;
      if (rows < 5) strips.push(`page ${index + 1}: ${rows} lines “${run[0].textContent!.trim().slice(0, 12)}”`);
      run = [];
    };
    for (const child of body.children) {
      if (getComputedStyle(child).columnSpan === 'all') endRun();
      else run.push(child);
    }
    endRun();
  });
  const figures = [...document.querySelectorAll('.pagedjs_pages figure')];
  const splitFigures = figures
    .filter((figure) => !figure.querySelector('img') || figure.hasAttribute('data-split-from') || figure.hasAttribute('data-split-to'))
    .map((figure) => figure.id);
  const brokenGlue = [...document.querySelectorAll('.pagedjs_pages .glue')]
    .filter((span) => span.getClientRects().length !== 1)
    .map((span) => span.textContent!);

  // Characters of an element with the line each sits on.
  const characters = (element: Element) => {
    const out: { char: string; top: number; left: number }[] = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const chars = [...node.textContent!];
      let offset = 0;
      for (const char of chars) {
        range.setStart(node, offset);
        range.setEnd(node, offset + char.length);
        offset += char.length;
        const rect = [...range.getClientRects()].find((r) => r.width > 0);
        // A space that ends a line has no box: it stays, on the line before, as a place to break.
        if (rect) out.push({ char, top: rect.top, left: rect.left });
        else if (/\s/.test(char) && out.length) out.push({ ...out[out.length - 1], char });
      }
    }
    return out;
  };
  const lonely = [...document.querySelectorAll('.pagedjs_pages .article-body p:not(.runs-on):not([data-split-to])')].flatMap((p) => {
    const chars = characters(p);
    const last = chars[chars.length - 1];
    if (!last) return [];
    const onLine = chars.filter((c) => Math.abs(c.top - last.top) < 2 && Math.abs(c.left - last.left) < 300);
    return onLine.filter((c) => /[\p{L}\p{N}]/u.test(c.char)).length === 1 ? [onLine.map((c) => c.char).join('')] : [];
  });
  const phraseEnd = /[\s\p{P}\p{S}]/u;
  const headBreaks = [...document.querySelectorAll('.pagedjs_pages h1.title, .pagedjs_pages .section h2')].flatMap((head) => {
    const chars = characters(head);
    return chars.flatMap((c, i) => (i > 0 && c.top - chars[i - 1].top > 2 && !phraseEnd.test(chars[i - 1].char) && !phraseEnd.test(c.char)
      ? [`${head.textContent!.trim()}: ${chars[i - 1].char}|${c.char}`] : []));
  });
  const misaligned = [...document.querySelectorAll('.pagedjs_pages .module-photos')].flatMap((row) => {
    const rects = [...row.querySelectorAll('.photo')].map((photo) => photo.getBoundingClientRect());
    const spread = (values: number[]) => (Math.max(...values) - Math.min(...values)) * 0.75;
    return spread(rects.map((r) => r.top)) > 1 || spread(rects.map((r) => r.bottom)) > 1 ? [row.textContent!.slice(0, 16)] : [];
  });
  // Loose lines: a justified line's extra space per character (a Han character set wider than its em, not
  // counting the quarter em text-autospace puts beside a Latin letter or digit), unless a Latin run that
  // cannot break stands on the line or starts the next one (in the paragraph's next part, for one the plan split).
  const latinRun = /[A-Za-z0-9][A-Za-z0-9.,%:/+-]{2,}/;
  const latin = /[A-Za-z0-9]/;
  const loose: string[] = [];
  let loosest = 0;
  const blocks = [...document.querySelectorAll('.pagedjs_pages .article-body p, .pagedjs_pages .article-body li')].map((block) => {
    const em = parseFloat(getComputedStyle(block).fontSize);
    const lines: { char: string; top: number; left: number; width: number }[][] = [];
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let offset = 0; offset < node.textContent!.length; offset++) {
        range.setStart(node, offset);
        range.setEnd(node, offset + 1);
        const rect = [...range.getClientRects()].find((r) => r.width > 0);
        if (!rect) continue;
        const line = lines[lines.length - 1];
        const char = { char: node.textContent![offset], top: rect.top, left: rect.left, width: rect.width };
        if (line && Math.abs(line[0].top - rect.top) < 2 && rect.left > line[line.length - 1].left) line.push(char);
        else lines.push([char]);
      }
    }
    return { em, lines, runsOn: block.matches('p.runs-on') };
  });
  blocks.forEach(({ em, lines, runsOn }, index) => {
    const chars = lines.flat();
    const nextPart = runsOn ? (blocks[index + 1]?.lines[0] ?? []) : [];
    lines.forEach((line, at) => {
      const text = line.map((c) => c.char).join('');
      const next = (lines[at + 1] ?? nextPart).slice(0, 8).map((c) => c.char).join('');
      if (latinRun.test(text) || latinRun.test(next)) return;
      const spaced = line.filter((c) => {
        const k = chars.indexOf(c);
        return /\p{sc=Han}/u.test(c.char) && !latin.test(chars[k - 1]?.char ?? '') && !latin.test((chars[k + 1] ?? nextPart[0])?.char ?? '');
      });
      const extra = Math.max(0, ...spaced.map((c) => (c.width - em) / em));
      loosest = Math.max(loosest, extra);
      if (extra > 0.25) loose.push(`${text} (+${extra.toFixed(2)} em)`);
    });
  });
  const cropped = [...document.querySelectorAll('.pagedjs_pages .photo')].flatMap((box) => {
    const frame = box.getBoundingClientRect();
    const image = box.querySelector('img')!.getBoundingClientRect();
    const shown = Math.min(frame.height / image.height, frame.width / image.width);
    return shown < 0.75 ? [`${box.querySelector('img')!.getAttribute('src')}: ${(shown * 100).toFixed(0)} %`] : [];
  });
  // The text in reading order with the captions after it: a paragraph may go on below a photo.
  const bodyText = () => {
    let text = '';
    let captions = '';
    const walker = document.createTreeWalker(document.querySelector('.pagedjs_pages')!, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement!.closest('figcaption')) captions += `${node.textContent}\n`;
      else text += node.textContent;
    }
    return `${text}\n${captions}`;
  };
  const solids = [...document.querySelectorAll('.pagedjs_pages .photo, .pagedjs_pages .article-header')].map((solid) => {
    const page = solid.closest('.pagedjs_page')!;
    const origin = page.getBoundingClientRect();
    const rect = solid.getBoundingClientRect();
    return { page: pages.indexOf(page) + 1, left: (rect.left - origin.left) * 0.75, top: (rect.top - origin.top) * 0.75, right: (rect.right - origin.left) * 0.75, bottom: (rect.bottom - origin.top) * 0.75 };
  });
  return {
    free: document.documentElement.dataset.copyfitFree,
    solids, pages: pages.length, emptyPages, outside, splitFigures, brokenGlue, figures: figures.length,
    strips, bodyLines, lonely, headBreaks, misaligned, loose, loosest, cropped, text: bodyText(),
  };
}

interface PdfMeasures {
  /** Blank areas inside the type area, as "page column line: size". */
  holes: string[];
  /** Largest spread of body baselines against the grid on any page, in points. */
  drift: number;
  /** Lines × columns left free under the balanced end of the last page. */
  freeLines: number;
  /** Share of the last page's column space that is used. */
  lastPageFill: number;
}

/** Measures the printed PDF: a 72 dpi grey rendering for blank cells of the grid, pdftotext's boxes for baselines. */
function measurePdf(file: string, preset: PresetName, solids: Geometry['solids']): PdfMeasures {
  const g = grid(PRESETS[preset]);
  const left = (g.margin.left * 72) / 25.4;
  const top = (g.margin.top * 72) / 25.4;
  const base = path.join(path.dirname(file), 'page');
  execFileSync('pdftoppm', ['-r', '72', '-gray', file, base]);
  const pageCount = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
  const holes: string[] = [];
  let freeLines = 0;
  let lastPageFill = 0;
  for (let page = 1; page <= pageCount; page++) {
    const pgm = readFileSync(`${base}-${String(page).padStart(String(pageCount).length, '0')}.pgm`);
    const [header, w, h] = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'))!;
    const [width, height] = [Number(w), Number(h)];
    const pixels = pgm.subarray(header.length);
    // Occupied cells: any ink inside one column's width and one line's height.
    const filled = Array.from({ length: g.columns }, (_, column) => Array.from({ length: g.lines }, (_, line) => {
      const x0 = Math.ceil(left + column * (g.columnWidth + g.gutter)) + 1;
      const x1 = Math.floor(left + column * (g.columnWidth + g.gutter) + g.columnWidth) - 1;
      const y0 = Math.ceil(top + line * g.leading);
      const y1 = Math.min(height - 1, Math.floor(top + (line + 1) * g.leading));
      if (solids.some((solid) => solid.page === page && solid.left < x1 && solid.right > x0 && solid.top < y1 && solid.bottom > y0)) return true;
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) if (pixels[y * width + x] < 200) return true;
      return false;
    }));
    const last = page === pageCount;
    // The last page ends where its lowest column ends; the space below is the free area, not a hole.
    const end = last ? Math.max(...filled.map((column) => column.lastIndexOf(true))) + 1 : g.lines;
    if (last) {
      freeLines = g.lines - end;
      lastPageFill = filled.reduce((sum, column) => sum + column.filter(Boolean).length, 0) / (g.lines * g.columns);
    }
    const blank = (column: number, line: number) => !filled[column][line];
    for (let column = 0; column < g.columns; column++) {
      for (let line = 0; line < end; line++) {
        let tall = 0;
        while (line + tall < end && blank(column, line + tall)) tall++;
        const wide = column + 1 < g.columns && Array.from({ length: 3 }, (_, k) => line + k < end && blank(column, line + k) && blank(column + 1, line + k)).every(Boolean);
        if (tall >= 6 || wide) holes.push(`p${page} c${column + 1} l${line + 1}: ${tall} lines`);
        line += Math.max(0, tall - 1);
      }
    }
  }
  // Baselines: every body line's box bottom, against the first one on its page, modulo the leading.
  const xml = execFileSync('pdftotext', ['-bbox-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  let drift = 0;
  for (const pageXml of xml.split('<page ').slice(1)) {
    const lines = [...pageXml.matchAll(/<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">/g)].map((m) => ({ top: Number(m[2]), bottom: Number(m[4]) }));
    const heights = lines.map((line) => Math.round((line.bottom - line.top) * 10) / 10);
    const body = heights.sort((a, b) => heights.filter((h) => h === b).length - heights.filter((h) => h === a).length)[0];
    const bottoms = lines.filter((line) => Math.abs(line.bottom - line.top - body) < 0.15).map((line) => line.bottom);
    if (!bottoms.length) continue;
    const residuals = bottoms.map((y) => ((((y - bottoms[0]) % g.leading) + g.leading * 1.5) % g.leading) - g.leading / 2);
    drift = Math.max(drift, Math.max(...residuals) - Math.min(...residuals));
  }
  return { holes, drift, freeLines, lastPageFill };
}

let session: BrowserSession;
let corpus: CorpusArticle[];
const work = mkdtempSync(path.join(tmpdir(), 'banmian-layout-'));
const figuresTable: string[] = [];
beforeAll(async () => {
  session = await openBrowser({});
  corpus = await writeCorpus();
});
afterAll(async () => {
  await session?.release();
  if (figuresTable.length) console.log(`layout figures:\n${figuresTable.join('\n')}`);
});

async function layout(dir: string, preset: PresetName, name: string): Promise<Geometry & PdfMeasures> {
  const article = await loadArticle(dir);
  const pagination = await paginate({ article, preset: PRESETS[preset], cropMarks: false, bleed: 0, browser: session.browser, timeout: 120_000 });
  try {
    // The build's own check: every block's text and every photo on the pages, once.
    await verifyNothingLost(pagination.page, article);
    const geometry = await pagination.page.evaluate(measure);
    const file = path.join(mkdtempSync(path.join(work, 'pdf-')), 'page.pdf');
    writeFileSync(file, await pagination.page.pdf({ printBackground: true, preferCSSPageSize: true, margin: { top: 0, right: 0, bottom: 0, left: 0 } }));
    const pdf = measurePdf(file, preset, geometry.solids);
    figuresTable.push(`${name.padEnd(24)} ${preset.padEnd(10)} pages ${geometry.pages}  holes ${pdf.holes.length}  strips ${geometry.strips.length}  drift ${pdf.drift.toFixed(2)} pt  孤字 ${geometry.lonely.length}  head breaks ${geometry.headBreaks.length}  loose ${geometry.loose.length} (${geometry.loosest.toFixed(2)} em)  cropped ${geometry.cropped.length}  last page ${(pdf.lastPageFill * 100).toFixed(0)} %, free ${pdf.freeLines} lines`);
    if (process.env.LAYOUT_DEBUG) { console.log(name, preset, file, pdf.holes, geometry.strips, geometry.misaligned, geometry.outside.slice(0, 3), geometry.loose, geometry.cropped); execFileSync('pdftoppm', ['-r', '50', '-png', file, `/tmp/L/dbg-${preset}`]); }
    return { ...geometry, ...pdf };
  } finally {
    await pagination.close();
  }
}

function expectComposed(result: Geometry & PdfMeasures, texts: string[], layoutName: string) {
  expect(result).toMatchObject({ emptyPages: [], outside: [], splitFigures: [], brokenGlue: [], lonely: [], headBreaks: [], misaligned: [] });
  // A strip is allowed only when the whole article is shorter than one.
  const strips = result.bodyLines >= 5 * 8 ? result.strips : [];
  expect({ holes: result.holes, strips }, layoutName).toEqual({ holes: [], strips: [] });
  expect(result.loose, layoutName).toEqual([]);
  expect(result.drift).toBeLessThanOrEqual(0.5);
  // The free area reported for other copy is the one measured on the PDF (within the line the last row may leave).
  const [, freeLines] = /^(\d+) lines × \d+ columns$/.exec(result.free ?? '') ?? [];
  expect(Math.abs(Number(freeLines) - result.freeLines)).toBeLessThanOrEqual(1);
  expect(missingSentences(result.text, texts.map(normalise))).toEqual([]);
}

const PRESET_NAMES = ['broadsheet', 'tabloid', 'a4'] as const;

describe('page composition', () => {
  it.each(PRESET_NAMES)('default article, %s', async (preset) => {
    const result = await layout(DEFAULT_ARTICLE, preset, 'default');
    expect(result.figures).toBe(5);
    expectComposed(result, sourceSentences(), `default ${preset}`);
  });

  it.each(PRESET_NAMES)('the corpus, %s', async (preset) => {
    for (const article of corpus.filter((a) => !process.env.LAYOUT_ONLY || a.name === process.env.LAYOUT_ONLY)) {
      const result = await layout(article.dir, preset, article.name);
      expect.soft(result.figures, article.name).toBe(article.figures);
      expectComposed(result, article.texts, `${article.name} ${preset}`);
    }
  });
});

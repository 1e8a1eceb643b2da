// The print document: the article's HTML with the preset's page rules, the declared fonts and the print theme.
// The PDF and the preview both paginate exactly this document with Paged.js.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderDocument } from '../document/html.ts';
import type { Article } from '../model/load.ts';
import { FONT_STACKS, fontFaceCss, type FontFace } from './fonts.ts';
import { grid, placedColumns, type Preset } from './presets.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** What is slow to compute and the same between runs (font coverage, separated press photos), kept by content key. */
export const CACHE_DIR = path.join(PROJECT_ROOT, 'node_modules/.cache/banmian');
/** The print stylesheets, in order. */
export const STYLES = ['styles/typography.css', 'styles/print.css', 'styles/print-blocks.css'].map((file) => path.join(PROJECT_ROOT, file));
/** Paged.js, for every page that paginates: the PDF stage's, the preview's, the html format's. */
export const PAGED_POLYFILL = path.join(path.dirname(createRequire(import.meta.url).resolve('pagedjs')), '../dist/paged.polyfill.js');
/** Browser-side Paged.js handlers, loaded after Paged.js by the PDF printer and the preview alike. */
export const PAGED_HANDLERS = ['plan-text.js', 'plan-loose.js', 'plan-photos.js', 'plan.js', 'layout.js', 'held-body.js'].map((file) => path.join(PROJECT_ROOT, 'build/print/paged', file));

export interface PrintDocumentOptions {
  article: Article;
  preset: Preset;
  cropMarks: boolean;
  /** Bleed in millimetres; 0 for none. */
  bleed: number;
  /** Maps an absolute file path to the URL the document loads it from. */
  assetUrl: (file: string) => string;
  /** The URL of a face, when not its file's (a cut of it: font-cuts.ts). */
  faceUrl?: (face: FontFace) => string | undefined;
  /** Extra markup for the end of `<head>`. */
  head?: string;
}

/**
 * The print document. Its stylesheets are written into it, read afresh each time (the preview renders again
 * when one is saved): Paged.js reads every stylesheet's text before it paginates, and a linked one it fetched
 * again after Chromium had loaded it (~18 ms of a 0.37 s warm render of the default article; the faces'
 * rules, which Paged.js has no use for, left out of its reading, ~8 ms more).
 */
export function renderPrintDocument({ article, preset, cropMarks, bleed, assetUrl, faceUrl, head = '' }: PrintDocumentOptions): string {
  // The faces are no business of Paged.js's: it leaves their rules as they are, unread.
  const faces = `<style data-pagedjs-ignore>\n${fontFaceCss((face) => faceUrl?.(face) ?? assetUrl(face.file))}\n</style>\n`;
  const paged = [...STYLES.map((file) => readFileSync(file, 'utf8')), presetCss(preset, cropMarks, bleed), runningHeadCss(article)];
  const styles = faces + paged.map((css) => `<style>\n${css}\n</style>\n`).join('');
  return renderDocument(article, {
    target: 'print',
    stylesheets: [],
    imageUrl: (figure) => assetUrl(figure.path),
    placeColumns: (cols) => placedColumns(preset, cols),
    head: `${styles}${head}`,
  });
}

function presetCss(preset: Preset, cropMarks: boolean, bleed: number): string {
  const { width, height, bodySize } = preset;
  const { margin, columns, leading, columnWidth, gutter, typeWidth, typeHeight, lines } = grid(preset);
  return `@page {
  size: ${width}mm ${height}mm;
  margin: ${mm(margin.top)} ${mm(margin.right)} ${mm(margin.bottom)} ${mm(margin.left)};${bleed ? `\n  bleed: ${bleed}mm;` : ''}${cropMarks ? '\n  marks: crop;' : ''}
}
:root {
  --serif: ${FONT_STACKS.serif};
  --sans: ${FONT_STACKS.sans};
  --kai: ${FONT_STACKS.kai};
  --mono: ${FONT_STACKS.mono};
  --body-size: ${bodySize}pt;
  --leading: ${leading}pt;
  --columns: ${columns};
  --column-width: ${columnWidth}pt;
  --gutter: ${pt(gutter)};
  --type-width: ${pt(typeWidth)};
  --type-height: ${typeHeight}pt;
  --lines: ${lines};
  --title-size: ${preset.titleSize}pt;
}`;
}

const mm = (value: number) => `${value.toFixed(4)}mm`;
const pt = (value: number) => `${value.toFixed(4)}pt`;

const cssString = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** 眉线: publication left, section centre, date and page number right — each only where known. */
function runningHeadCss(article: Article): string {
  const { publication, section, date, page } = article.frontMatter;
  const right = [date && formatDate(date), page && `${page}版`].filter(Boolean).join('  ');
  const box = (name: string, text: string | undefined) => (text ? `  @${name} { content: ${cssString(text)}; }\n` : '');
  return `@page {\n${box('top-left', publication)}${box('top-center', section)}${box('top-right', right)}}`;
}

const WEEKDAYS = '日一二三四五六';

/** 2025-12-31 → 2025年12月31日 星期三 */
export function formatDate(iso: string): string {
  const [year, month, day] = iso.split('-').map(Number);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return `${year}年${month}月${day}日 星期${WEEKDAYS[weekday]}`;
}

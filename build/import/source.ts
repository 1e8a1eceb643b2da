// What `banmian import` needs to know of a plain Markdown file, read from the document model (the same
// parse as `build`): whether it has front matter, the heading the build takes as its title, and where each
// remote image URL stands in the source, so the rewrite edits exactly those characters and nothing else.
import type { Token } from 'markdown-it';
import { splitArticle } from '../model/front-matter.ts';
import { lineStartsOf, positionAt } from '../model/lines.ts';
import { parseBody } from '../model/parse.ts';
import { offsetOf } from '../model/rules/offsets.ts';

export interface RemoteImage {
  /** The URL as written. */
  url: string;
  /** 1-based line in the file. */
  line: number;
  /** Source offsets of the URL: `source.slice(start, end) === url`. */
  start: number;
  end: number;
}

export interface TitleHeading {
  /** The heading's text, as the build takes it for the title. */
  text: string;
  line: number;
  /** Source offsets of the heading's lines, through the line break that ends them. */
  start: number;
  end: number;
}

export interface ImportSource {
  hasFrontMatter: boolean;
  /** Paths of the local photos (decoded, relative to the file): the article folder must hold them too. */
  localImages: string[];
  /** The `# ` heading that becomes the title, when the file has no front matter to carry one. */
  title?: TitleHeading;
  images: RemoteImage[];
}

const REMOTE = /^https?:\/\//i;
/** Any URL with a scheme (or protocol-relative): not a file beside the Markdown. */
const SCHEME = /^[a-z][a-z0-9+.-]*:|^\/\//i;
/** What may stand between `[label]:` and a link reference definition's URL. */
const BEFORE_DEFINITION = /\]:[ \t]*(?:\r?\n[ \t]*)?<?$/;

/**
 * Reads the parts of a Markdown file that an import changes.
 *
 * @example
 * readImportSource('# 标题\n\n![](https://example.org/a.jpg)\n', 'a.md').images[0];
 * // { url: 'https://example.org/a.jpg', line: 3, start: 10, end: 35 }
 */
export function readImportSource(source: string, file: string): ImportSource {
  // Problems of the manuscript are `check`'s and `build`'s to report; an import only moves files.
  const split = splitArticle(source, file, []);
  const hasFrontMatter = split.yaml !== undefined;
  const parsed = parseBody(split.body, { file, lineOffset: split.bodyOffset, offsetBase: split.bodyStart, diagnostics: [] });
  const lineStarts = lineStartsOf(source);
  // Photos became figure tokens (their path's offset kept); other images are still image tokens.
  const found = [
    ...parsed.figures.map((figure) => ({ src: figure.src, labelEnd: figure.srcOffset - 2 })),
    ...flatten(parsed.tokens).filter((token) => token.type === 'image' && offsetOf(token) !== undefined)
      .map((token) => ({ src: String(token.attrGet('src') ?? ''), labelEnd: offsetOf(token)! + 2 + token.content.length })),
  ];
  const images: RemoteImage[] = [];
  for (const { src, labelEnd } of found) {
    if (!REMOTE.test(src)) continue;
    const written = destinationAt(source, labelEnd) ?? definitionOf(source, src);
    if (!written || !REMOTE.test(written.url)) continue;
    images.push({ ...written, line: positionAt(lineStarts, written.start).line });
  }
  images.sort((a, b) => a.start - b.start);
  const title = hasFrontMatter || !parsed.headingTitle ? undefined : headingLines(source, lineStarts, parsed.headingTitle);
  // Photos are read from their decoded paths, as the build reads them; an image inside text never prints.
  const localImages = [...new Set(parsed.figures.map((figure) => figure.src).filter((src) => src && !SCHEME.test(src)))];
  return { hasFrontMatter, localImages, title, images };
}

/** The destination of an inline image, as written, when `](` follows its label at `labelEnd`. */
function destinationAt(source: string, labelEnd: number): { url: string; start: number; end: number } | undefined {
  const open = /^\]\([ \t]*(?:\r?\n[ \t]*)?(<?)/.exec(source.slice(labelEnd, labelEnd + 200));
  if (!open) return undefined;
  const start = labelEnd + open[0].length;
  let end = start;
  if (open[1]) {
    while (end < source.length && source[end] !== '>' && source[end] !== '\n') end += source[end] === '\\' ? 2 : 1;
  } else {
    for (let depth = 0; end < source.length && !/\s/.test(source[end]); end += source[end] === '\\' ? 2 : 1) {
      if (source[end] === '(') depth++;
      else if (source[end] === ')' && depth-- === 0) break;
    }
  }
  return { url: source.slice(start, end), start, end };
}

/** A reference image's URL, in the `[label]: …` definition that gives it. */
function definitionOf(source: string, src: string): { url: string; start: number; end: number } | undefined {
  for (const url of new Set([src, safeDecode(src)])) {
    for (let at = source.indexOf(url); at >= 0; at = source.indexOf(url, at + 1)) {
      if (BEFORE_DEFINITION.test(source.slice(Math.max(0, at - 80), at))) return { url, start: at, end: at + url.length };
    }
  }
  return undefined;
}

/** The source lines of the title heading: one for `# 标题`, its text lines and the `===` line for a setext heading. */
function headingLines(source: string, lineStarts: number[], heading: { text: string; line: number }): TitleHeading {
  const start = lineStarts[heading.line - 1];
  const atx = /^\uFEFF? {0,3}#/.test(source.slice(start, start + 5));
  const lines = atx ? 1 : heading.text.split('\n').length + 1;
  const end = lineStarts[heading.line - 1 + lines] ?? source.length;
  return { text: heading.text.replace(/\s*\n\s*/g, ' '), line: heading.line, start, end };
}

function flatten(tokens: Token[]): Token[] {
  return tokens.flatMap((token) => [token, ...flatten(token.children ?? [])]);
}

function safeDecode(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}

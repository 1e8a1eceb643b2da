// What `banmian import` needs to know of a plain Markdown file: whether it has front matter, its title
// heading, and where each remote image URL stands in the source (offsets, so the rewrite edits exactly
// those characters and nothing else).
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';

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
  /** The heading's text, without its markup. */
  text: string;
  line: number;
  /** Source offsets of the heading's lines, through the line break that ends them. */
  start: number;
  end: number;
}

export interface ImportSource {
  /** Characters of `---` front matter at the top (0 when there is none). */
  frontMatterEnd: number;
  /** The first level-1 heading, when the file has no front matter to carry the title. */
  title?: TitleHeading;
  images: RemoteImage[];
}

const FENCE = /^---[ \t]*\r?$/;
const REMOTE = /^https?:\/\//i;
const md = new MarkdownIt({ html: true, linkify: false });

/**
 * Reads the parts of a Markdown file that an import changes.
 *
 * @example
 * readImportSource('# 标题\n\n![](https://example.org/a.jpg)\n').images[0]; // { url: 'https://example.org/a.jpg', line: 3, start: 10, end: 35 }
 */
export function readImportSource(source: string): ImportSource {
  const lineStarts = [0];
  for (let at = source.indexOf('\n'); at >= 0; at = source.indexOf('\n', at + 1)) lineStarts.push(at + 1);
  const frontMatterLines = countFrontMatterLines(source);
  const frontMatterEnd = lineStarts[frontMatterLines] ?? source.length;
  // Blank lines stand in for the front matter, so markdown-it's line numbers are the file's.
  const tokens = md.parse('\n'.repeat(frontMatterLines) + source.slice(frontMatterEnd), {});
  const lineEnd = (line: number) => lineStarts[line] ?? source.length;
  const result: ImportSource = { frontMatterEnd, images: [] };
  tokens.forEach((token, index) => {
    if (!frontMatterLines && !result.title && token.type === 'heading_open' && token.tag === 'h1' && token.map) {
      const inline = tokens[index + 1];
      result.title = { text: plainText(inline.children ?? []), line: token.map[0] + 1, start: lineStarts[token.map[0]], end: lineEnd(token.map[1]) };
    }
    if (token.type !== 'inline' || !token.map) return;
    let cursor = lineStarts[token.map[0]];
    const blockEnd = lineEnd(token.map[1]);
    for (const child of flatten(token.children ?? [])) {
      const src = child.type === 'image' ? String(child.attrGet('src') ?? '') : '';
      if (!REMOTE.test(src)) continue;
      // markdown-it normalises the URL (percent-encoding); the source holds it as written.
      const url = [src, safeDecode(src)].find((candidate) => {
        const at = source.indexOf(candidate, cursor);
        return at >= 0 && at < blockEnd;
      });
      if (!url) continue;
      const start = source.indexOf(url, cursor);
      result.images.push({ url, line: lineOf(lineStarts, start), start, end: start + url.length });
      cursor = start + url.length;
    }
  });
  return result;
}

/** The 1-based line holding `offset`. */
function lineOf(lineStarts: number[], offset: number): number {
  let line = 0;
  while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
  return line + 1;
}

function countFrontMatterLines(source: string): number {
  const lines = source.split('\n');
  if (!FENCE.test(lines[0].replace(/^\uFEFF/, ''))) return 0;
  const end = lines.findIndex((line, index) => index > 0 && FENCE.test(line));
  return end < 0 ? 0 : end + 1;
}

function flatten(tokens: Token[]): Token[] {
  return tokens.flatMap((token) => [token, ...flatten(token.children ?? [])]);
}

function plainText(tokens: Token[]): string {
  return flatten(tokens).filter((token) => token.type === 'text' || token.type === 'code_inline').map((token) => token.content).join('').trim();
}

function safeDecode(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}

// Reads article.md into the text the proofreading rules see: blocks of prose, each character mapped back to its place in the file.
//
// Left out: YAML keys and syntax, HTML comments (editor notes, directives), image URLs and `{cols=N}`,
// link targets, code spans and Markdown markers. Front matter values that are printed are read too.
import { isMap, isScalar, parseDocument, Scalar } from 'yaml';
import { lineStartsOf, positionAt } from './lines.ts';
import type { BlockKind } from './types.ts';

export interface TextBlock {
  kind: BlockKind;
  /** The block's text; lines of one paragraph are joined by `\n`. */
  text: string;
  /** For each index of `text`, the UTF-16 offset of that character in the article file. */
  offsets: number[];
  /** 1-based file line of the block's first character. */
  line: number;
  /** Whether the text is set on the printed page (alt text and the description are not). */
  printed: boolean;
}

export interface Directive {
  /** The file lines whose findings the directive silences. */
  lines: Set<number>;
  /** Rule ids as written; empty means every rule. */
  rules: string[];
  /** Where the comment stands, for reporting an unknown rule id. */
  line: number;
  column: number;
}

export interface ReadText {
  blocks: TextBlock[];
  directives: Directive[];
}

/**
 * Front matter fields by the kind of text they hold, which is also how they print: the headline block and
 * the running head (publication, section) in 黑体, the byline in 楷体 like a credit. The rest are
 * identifiers, dates and lists.
 */
const FRONT_MATTER_TEXT: Record<string, { kind: BlockKind; printed: boolean }> = {
  kicker: { kind: 'heading', printed: true },
  title: { kind: 'heading', printed: true },
  subtitle: { kind: 'heading', printed: true },
  publication: { kind: 'heading', printed: true },
  section: { kind: 'heading', printed: true },
  byline: { kind: 'credit', printed: true },
  description: { kind: 'meta', printed: false },
};

const DIRECTIVE = /^\s*banmian-disable-(next-line|line)\b([\s\S]*)$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+|$)/;
const IMAGE_LINE = /^\s*!\[(.*)\]\(([^)]*)\)(\{[^}]*\})?\s*$/;
const BLOCK_MARKER = /^ {0,3}(?:>[ \t]?|[-*+][ \t]+|\d{1,9}[.)][ \t]+)*/;

/** A span of one line as [start, end) file offsets. */
type Span = [number, number];

/**
 * Splits the article into text blocks and collects its check directives.
 *
 * @example
 * readText('---\ntitle: 标题\n---\n正文,正文\n', 3).blocks.map((block) => block.text); // ['标题', '正文,正文']
 */
export function readText(source: string, bodyOffset: number): ReadText {
  const lineStarts = lineStartsOf(source);
  const lineEnd = (line: number) => {
    const next = line < lineStarts.length ? lineStarts[line] - 1 : source.length;
    return source[next - 1] === '\r' ? next - 1 : next;
  };

  const blocks: TextBlock[] = [...readFrontMatter(source, lineStarts, bodyOffset)];
  const comments: { text: string; line: number; column: number; endLine: number }[] = [];
  let comment: { start: number; line: number } | undefined;
  let open: { kind: BlockKind; spans: Span[]; line: number; figureLine?: number } | undefined;
  const close = () => {
    if (open?.spans.length) blocks.push(toBlock(source, open.kind, open.spans, open.line));
    open = undefined;
  };

  for (let line = bodyOffset + 1; line <= lineStarts.length; line++) {
    const start = lineStarts[line - 1];
    const end = lineEnd(line);
    // Cut HTML comments out of the line; a comment may run over several lines.
    const visible: Span[] = [];
    let at = start;
    while (at < end) {
      if (comment) {
        const closing = source.indexOf('-->', at);
        if (closing < 0 || closing >= end) break;
        comments.push({ text: source.slice(comment.start + 4, closing), line: comment.line, column: comment.start - lineStarts[comment.line - 1] + 1, endLine: line });
        comment = undefined;
        at = closing + 3;
      } else {
        const opening = source.indexOf('<!--', at);
        if (opening < 0 || opening >= end) { visible.push([at, end]); break; }
        if (opening > at) visible.push([at, opening]);
        comment = { start: opening, line };
        at = opening + 4;
      }
    }
    const content = visible.filter(([from, to]) => source.slice(from, to).trim() !== '');
    // A comment line, like a blank line, ends a paragraph (an HTML block interrupts one in CommonMark).
    if (!content.length) { close(); continue; }

    const text = source.slice(content[0][0], end);
    // An ATX head interrupts a paragraph, as in CommonMark.
    const heading = open?.figureLine === undefined ? HEADING.exec(source.slice(start, end)) : null;
    if (heading) {
      close();
      const from = start + heading[0].length;
      const to = start + source.slice(start, end).replace(/[ \t]+#+[ \t]*$|[ \t]+$/, '').length;
      blocks.push(toBlock(source, 'heading', clip(content, from, to), line));
      continue;
    }
    if (!open) {
      const image = IMAGE_LINE.exec(text);
      if (image) {
        const altStart = content[0][0] + text.indexOf('![') + 2;
        blocks.push(toBlock(source, 'alt', clip(content, altStart, altStart + image[1].length), line));
        open = { kind: 'caption', spans: [], line: line + 1, figureLine: line };
        continue;
      }
      open = { kind: 'paragraph', spans: [], line };
    }
    if (open.figureLine !== undefined) {
      // A photo paragraph: the image line, then one caption line, then one credit line.
      const kind = line - open.figureLine === 1 ? 'caption' : 'credit';
      blocks.push(toBlock(source, kind, trimSpans(source, content), line));
      if (kind === 'credit') open = undefined;
      continue;
    }
    // List bullets and quote marks open every line of a list or a blockquote.
    const marker = BLOCK_MARKER.exec(source.slice(start, end))?.[0].length ?? 0;
    if (open.spans.length) open.spans.push([start - 1, start]);
    open.spans.push(...inlineText(source, clip(content, start + marker, end)));
  }
  close();

  const directives = comments.flatMap(({ text, line, column, endLine }): Directive[] => {
    const match = DIRECTIVE.exec(text);
    if (!match) return [];
    // Ids come first; a note may follow them (truncated-paragraph（编辑注：…）), so reading stops at anything else.
    const rules = /^[\s,]*((?:[a-z][a-z0-9-]*[\s,]*)*)/.exec(match[2])![1].split(/[\s,]+/).filter(Boolean);
    if (match[1] === 'line') return [{ lines: new Set([line, endLine]), rules, line, column }];
    const next = endLine + 1;
    const block = blocks.find((candidate) => candidate.line === next);
    const lines = new Set([next]);
    if (block) for (const offset of block.offsets) lines.add(positionAt(lineStarts, offset).line);
    return [{ lines, rules, line, column }];
  });
  return { blocks, directives };
}

/** Printed front matter values, read from the YAML source so that positions are exact. */
function readFrontMatter(source: string, lineStarts: number[], bodyOffset: number): TextBlock[] {
  if (bodyOffset < 2) return [];
  const yamlStart = lineStarts[1];
  const yamlEnd = lineStarts[bodyOffset - 1] - 1;
  const doc = parseDocument(source.slice(yamlStart, yamlEnd));
  if (!isMap(doc.contents)) return [];
  const blocks: TextBlock[] = [];
  for (const pair of doc.contents.items) {
    const field = isScalar(pair.key) ? FRONT_MATTER_TEXT[String(pair.key.value)] : undefined;
    const value = pair.value;
    if (!field || !isScalar(value) || typeof value.value !== 'string' || !value.range) continue;
    let [from, to] = value.range;
    if (value.type === Scalar.QUOTE_DOUBLE || value.type === Scalar.QUOTE_SINGLE) { from++; to--; }
    // Only values written exactly as they read (no escapes, no folding) map character for character.
    if (source.slice(yamlStart + from, yamlStart + to) !== value.value) continue;
    const block = toBlock(source, field.kind, [[yamlStart + from, yamlStart + to]], positionAt(lineStarts, yamlStart + from).line);
    blocks.push({ ...block, printed: field.printed });
  }
  return blocks;
}

/** The visible text of a paragraph line: link targets, code spans, autolinks and emphasis markers left out. */
function inlineText(source: string, spans: Span[]): Span[] {
  const out: Span[] = [];
  const SKIP = /`[^`]*`|\]\([^)]*\)(?:\{[^}]*\})?|!?\[|<[a-z][a-z0-9+.-]*:[^>]*>|\*+|~~/gi;
  for (const [from, to] of spans) {
    let at = from;
    for (const match of source.slice(from, to).matchAll(SKIP)) {
      if (match.index + from > at) out.push([at, match.index + from]);
      at = match.index + from + match[0].length;
    }
    if (at < to) out.push([at, to]);
  }
  return out;
}

function clip(spans: Span[], from: number, to: number): Span[] {
  return spans.map(([start, end]): Span => [Math.max(start, from), Math.min(end, to)]).filter(([start, end]) => start < end);
}

function trimSpans(source: string, spans: Span[]): Span[] {
  const first = spans[0][0];
  const last = spans.at(-1)![1];
  const lead = source.slice(first, last).length - source.slice(first, last).trimStart().length;
  const trail = source.slice(first, last).length - source.slice(first, last).trimEnd().length;
  return clip(spans, first + lead, last - trail);
}

function toBlock(source: string, kind: BlockKind, spans: Span[], line: number): TextBlock {
  const offsets: number[] = [];
  let text = '';
  for (const [from, to] of spans) {
    text += source.slice(from, to);
    for (let offset = from; offset < to; offset++) offsets.push(offset);
  }
  return { kind, text, offsets, line, printed: kind !== 'alt' };
}

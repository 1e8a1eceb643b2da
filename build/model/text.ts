// The text of an article as blocks — each paragraph, head, list item, cell, caption, credit, note, code block
// and printed front matter field — with every character mapped to its offset in the file. Check rules read
// `text`; the no-loss guarantee compares `printedText` with what the laid-out pages hold.
import type { Token } from 'markdown-it';
import { isMap, isScalar, parseDocument, Scalar } from 'yaml';
import type { FigureMeta } from './rules/figures.ts';
import { offsetOf } from './rules/offsets.ts';
import { lineStartsOf, positionAt } from './lines.ts';

/** What a block of text is, which decides the rules and the typeface that apply to it. */
export type BlockKind = 'paragraph' | 'item' | 'quote' | 'cell' | 'note' | 'heading' | 'caption' | 'credit' | 'code' | 'alt' | 'meta';

/** Where a block's text appears: the page body, the headline block, the running head, or nowhere visible. */
export type BlockPlace = 'body' | 'header' | 'running-head' | 'alt' | 'meta';

export interface TextBlock {
  /** Index in the article's list; the print document stamps it on the block's element as `data-text`. */
  id: number;
  kind: BlockKind;
  place: BlockPlace;
  /** The text as the rules read it: code spans and bare URLs stand as one U+FFFC each. */
  text: string;
  /** For each index of `text`, the UTF-16 offset of that character in the article file. */
  offsets: number[];
  /** The text exactly as it prints (code spans and URLs included, markup and generated numbers left out). */
  printedText: string;
  /** 1-based file line of the block's first character. */
  line: number;
  /** The front matter field the text comes from (title, kicker, …). */
  field?: string;
}

/** Stands for a code span or URL in `text`: not prose, so no rule reads into it. */
export const OPAQUE = '\uFFFC';

/** A token's `meta` after this stage: the id of the text block it carries. */
export interface TextMeta {
  textBlock: number;
}

export function textBlockOf(token: Token): number | undefined {
  return (token.meta as Partial<TextMeta> | null)?.textBlock;
}

/**
 * Front matter fields by the kind of text they hold, which is also how they print: the headline block and
 * the running head in 黑体, the byline in 楷体 like a credit.
 */
const FRONT_MATTER_TEXT: Record<string, { kind: BlockKind; place: BlockPlace }> = {
  kicker: { kind: 'heading', place: 'header' },
  title: { kind: 'heading', place: 'header' },
  subtitle: { kind: 'heading', place: 'header' },
  byline: { kind: 'credit', place: 'header' },
  publication: { kind: 'heading', place: 'running-head' },
  section: { kind: 'heading', place: 'running-head' },
  description: { kind: 'meta', place: 'meta' },
};

const CONTAINER_KIND: Record<string, BlockKind> = {
  blockquote_open: 'quote',
  list_item_open: 'item',
  footnote_open: 'note',
  td_open: 'cell',
  th_open: 'cell',
};

export interface ReadTextOptions {
  source: string;
  bodyOffset: number;
  yamlPresent: boolean;
  tokens: Token[];
  headingTitle?: { text: string; line: number };
}

/** Every text block of the article, in reading order: front matter fields first, then the body. */
export function readTextBlocks({ source, bodyOffset, yamlPresent, tokens, headingTitle }: ReadTextOptions): TextBlock[] {
  const lineStarts = lineStartsOf(source);
  const blocks: TextBlock[] = [];
  const add = (block: Omit<TextBlock, 'id'>) => {
    blocks.push({ ...block, id: blocks.length });
    return blocks.length - 1;
  };
  if (yamlPresent) readFrontMatter(source, lineStarts, bodyOffset).forEach(add);
  if (headingTitle) {
    const start = lineStarts[headingTitle.line - 1] + Math.max(0, source.slice(lineStarts[headingTitle.line - 1]).indexOf(headingTitle.text));
    add({ kind: 'heading', place: 'header', field: 'title', ...spanText(headingTitle.text, start), line: headingTitle.line });
  }

  const containers: BlockKind[] = [];
  tokens.forEach((token, index) => {
    if (CONTAINER_KIND[token.type]) containers.push(CONTAINER_KIND[token.type]);
    else if (token.nesting === -1 && CONTAINER_KIND[token.type.replace(/_close$/, '_open')]) containers.pop();

    if (token.type === 'figure') {
      const { figure, caption, credit } = token.meta as unknown as FigureMeta;
      const image = { kind: 'alt' as const, place: 'alt' as const, ...spanText(figure.alt, figure.srcOffset - figure.alt.length - 2), line: figure.line };
      const ids = {
        alt: add(image),
        caption: caption.length ? add({ kind: 'caption', place: 'body', ...inlineText(caption), line: figure.line + 1 }) : undefined,
        credit: credit.length ? add({ kind: 'credit', place: 'body', ...inlineText(credit), line: figure.line + (caption.length ? 2 : 1) }) : undefined,
      };
      token.meta = { ...token.meta, textBlocks: ids };
    } else if (token.type === 'inline' && token.map) {
      const kind = tokens[index - 1]?.type === 'heading_open' ? 'heading' : (containers.at(-1) ?? 'paragraph');
      const read = inlineText(token.children ?? []);
      if (!read.printedText.trim()) return;
      token.meta = { ...(token.meta ?? {}), textBlock: add({ kind, place: 'body', ...read, line: token.map[0] + 1 + bodyOffset }) } satisfies TextMeta;
    } else if ((token.type === 'fence' || token.type === 'code_block') && token.map && token.content.trim()) {
      const firstLine = token.map[0] + 1 + bodyOffset + (token.type === 'fence' ? 1 : 0);
      const content = token.content.replace(/\n$/, '');
      const offsets: number[] = [];
      content.split('\n').forEach((line, k) => {
        const lineStart = lineStarts[firstLine - 1 + k] ?? source.length;
        const sourceLine = source.slice(lineStart, lineStarts[firstLine + k] ?? source.length).replace(/\r?\n$/, '');
        const indent = Math.max(0, sourceLine.length - line.length);
        for (let index = 0; index <= line.length; index++) offsets.push(lineStart + indent + index);
      });
      token.meta = { ...(token.meta ?? {}), textBlock: add({ kind: 'code', place: 'body', text: content, offsets: offsets.slice(0, content.length), printedText: content, line: firstLine }) } satisfies TextMeta;
    }
  });
  return blocks;
}

/** A string that sits at one place in the file, character for character. */
function spanText(text: string, start: number): Pick<TextBlock, 'text' | 'offsets' | 'printedText'> {
  return { text, offsets: Array.from({ length: text.length }, (_, index) => start + index), printedText: text };
}

/** The text of inline tokens: prose for the rules, with code spans and bare URLs opaque, and the printed text. */
function inlineText(children: Token[]): Pick<TextBlock, 'text' | 'offsets' | 'printedText'> {
  let text = '';
  let printedText = '';
  const offsets: number[] = [];
  let last = 0;
  let inUrl = false;
  const push = (value: string, offset: number, contiguous: boolean) => {
    for (let index = 0; index < value.length; index++) offsets.push(contiguous ? offset + index : offset);
    text += value;
    last = offset + (contiguous ? value.length : 1);
  };
  for (const token of children) {
    const offset = offsetOf(token) ?? last;
    switch (token.type) {
      case 'text':
        printedText += token.content;
        if (inUrl) push(OPAQUE, offset, false);
        else push(token.content, offset, true);
        break;
      case 'text_special':
        printedText += token.content;
        push(token.content, offset, false);
        break;
      case 'code_inline':
        printedText += token.content;
        push(OPAQUE, offset, false);
        break;
      case 'softbreak':
      case 'hardbreak':
        printedText += '\n';
        push('\n', last, false);
        break;
      case 'link_open':
        inUrl = token.markup === 'linkify' || token.markup === 'autolink';
        break;
      case 'link_close':
        inUrl = false;
        break;
      default:
        break;
    }
  }
  return { text, offsets, printedText };
}

/** Printed front matter values, read from the YAML source so that positions are exact where the value is written as it reads. */
function readFrontMatter(source: string, lineStarts: number[], bodyOffset: number): Omit<TextBlock, 'id'>[] {
  if (bodyOffset < 2) return [];
  const yamlStart = lineStarts[1];
  const yamlEnd = lineStarts[bodyOffset - 1] - 1;
  const doc = parseDocument(source.slice(yamlStart, yamlEnd));
  if (!isMap(doc.contents)) return [];
  const blocks: Omit<TextBlock, 'id'>[] = [];
  for (const pair of doc.contents.items) {
    const field = isScalar(pair.key) ? String(pair.key.value) : '';
    const facts = FRONT_MATTER_TEXT[field];
    const value = pair.value;
    if (!facts || !isScalar(value) || typeof value.value !== 'string' || !value.range) continue;
    let [from, to] = value.range;
    if (value.type === Scalar.QUOTE_DOUBLE || value.type === Scalar.QUOTE_SINGLE) { from++; to--; }
    const text = value.value.trim();
    const exact = source.slice(yamlStart + from, yamlStart + to) === text;
    const start = yamlStart + from;
    // A value with escapes or folding cannot be mapped character for character: it all points at its start.
    const span = exact ? spanText(text, start) : { text, offsets: Array.from(text, () => start), printedText: text };
    blocks.push({ ...facts, ...span, field, line: positionAt(lineStarts, start).line });
  }
  return blocks;
}

// Renders the article's body from the model for one target: the print page (also the preview) or the EPUB.
// Image URLs, photo bands, source lines, notes and link handling are decided here, while rendering; nothing
// edits the HTML afterwards.
import MarkdownIt, { type Token } from 'markdown-it';
import type { Article, Figure } from '../model/load.ts';
import { decodePath, type FigureMeta } from '../model/rules/figures.ts';
import { printedLevel } from '../model/rules/sections.ts';
import { textBlockOf } from '../model/text.ts';
import { glueText } from './glue.ts';

export type Target = 'print' | 'epub';

export interface BodyOptions {
  target: Target;
  /** The URL the document loads a figure's image from. */
  imageUrl: (figure: Figure) => string;
  /** Columns a photo written as `{cols=N}` spans on this page's grid (print). */
  placeColumns?: (cols: number) => number;
}

/** A printed note: a footnote's text, or a link's URL, numbered in order of first reference. */
type Note = { number: number } & ({ kind: 'footnote'; id: number } | { kind: 'url'; url: string });

type RenderState = {
  article: Article;
  options: BodyOptions;
  notes: Note[];
  /** markdown-it-footnote id → note number. */
  footnoteNumbers: Map<number, number>;
  /** Link text collected between link_open and link_close, to tell a bare URL from a named link. */
  linkText?: string;
};

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
/** Characters a column line holds at 9 pt, counting a Han character as two Latin ones; wider code or tables get their own band. */
const COLUMN_WIDTH = 26;

const md = new MarkdownIt({ html: true });
const escape = md.utils.escapeHtml;
const rules = md.renderer.rules;
const state = (env: unknown) => env as RenderState;
const asEnv = (current: RenderState) => current as unknown as Record<string, unknown>;

rules.text = (tokens, index, _options, env) => {
  const current = state(env);
  if (current.linkText !== undefined) current.linkText += tokens[index].content;
  return glueText(escape(tokens[index].content));
};
rules.text_special = rules.text;
rules.html_block = () => '';
rules.html_inline = () => '';

rules.figure = (tokens, index, _options, env) => {
  const { article, options } = state(env);
  const token = tokens[index];
  const { figure, caption, credit } = token.meta as unknown as FigureMeta;
  const ids = (token.meta as { textBlocks: { caption?: number; credit?: number } }).textBlocks;
  const placed = articleFigure(article, figure.id);
  const print = options.target === 'print';
  // Consecutive photos of the article's top level share one band across the page.
  const band = print && token.level === 0;
  const opens = band && tokens[index - 1]?.type !== 'figure';
  const closes = band && tokens[index + 1]?.type !== 'figure';
  const attrs = print ? ` data-cols="${options.placeColumns?.(figure.cols) ?? figure.cols}" data-source-line="${figure.line}"` : '';
  const line = (inline: Token[], id: number | undefined, name: string) =>
    inline.length ? `<span class="${name}"${print && id !== undefined ? ` data-text="${id}"` : ''}>${md.renderer.renderInline(inline, md.options, env)}</span>` : '';
  const captionHtml = line(caption, ids.caption, 'caption') + line(credit, ids.credit, 'credit');
  return (
    (opens ? '<div class="figure-band">\n' : '') +
    `<figure class="figure" id="${figure.id}"${attrs}>` +
    `<img src="${escape(options.imageUrl(placed))}" alt="${escape(figure.alt)}"/>` +
    (captionHtml ? `<figcaption>${captionHtml}</figcaption>` : '') +
    '</figure>\n' +
    (closes ? '</div>\n' : '')
  );
};

rules.code_block = (tokens, index, _options, env) => codeBlock(tokens[index], state(env));
rules.fence = rules.code_block;

rules.table_open = (tokens, index, options, env, self) => {
  const close = tokens.findIndex((token, at) => at > index && token.type === 'table_close');
  const rows = tokens.slice(index, close).filter((token) => token.type === 'tr_open').length;
  let widest = 0;
  let columns = 0;
  let width = 0;
  for (const token of tokens.slice(index, close)) {
    if (token.type === 'tr_open') { width = 0; columns = 0; }
    if (token.type === 'inline') { width += visualWidth(token.content) + 2; columns++; }
    if (token.type === 'tr_close') widest = Math.max(widest, width, columns * 6);
  }
  const wide = state(env).options.target === 'print' && (widest > COLUMN_WIDTH || rows > 12);
  return `<div class="table-wrap${wide ? ' block-band' : ''}">\n${self.renderToken(tokens, index, options)}`;
};
rules.table_close = (tokens, index, options, _env, self) => `${self.renderToken(tokens, index, options)}</div>\n`;

rules.link_open = (tokens, index, _options, env) => {
  const current = state(env);
  const href = String(tokens[index].attrGet('href') ?? '');
  current.linkText = '';
  if (SCHEME.test(href) || (href.startsWith('#') && current.options.target === 'print')) return `<a href="${escape(href)}">`;
  // A link to another file of the manuscript (another .md, a PDF beside it) is not part of the book: plain text.
  return '<span class="link">';
};
rules.link_close = (tokens, index, _options, env) => {
  const current = state(env);
  const open = lastOpen(tokens, index, 'link_open');
  const href = String(open.attrGet('href') ?? '');
  const text = current.linkText ?? '';
  current.linkText = undefined;
  const tag = SCHEME.test(href) || (href.startsWith('#') && current.options.target === 'print') ? '</a>' : '</span>';
  // In print a link's address is lost unless printed: as a numbered note, unless the text is the address.
  const bare = open.markup === 'linkify' || open.markup === 'autolink' || sameUrl(text, href);
  if (current.options.target !== 'print' || bare || !SCHEME.test(href)) return tag;
  const number = current.notes.length + 1;
  current.notes.push({ number, kind: 'url', url: href });
  return `${tag}${noteRef(number, current)}`;
};

rules.footnote_ref = (tokens, index, _options, env) => {
  const current = state(env);
  const id = Number((tokens[index].meta as { id: number }).id);
  let number = current.footnoteNumbers.get(id);
  if (number === undefined) {
    number = current.notes.length + 1;
    current.footnoteNumbers.set(id, number);
    current.notes.push({ number, kind: 'footnote', id });
  }
  return noteRef(number, current);
};

rules.list_item_open = (tokens, index, options, _env, self) => {
  const task = (tokens[index].meta as { task?: boolean } | null)?.task;
  if (task === undefined) return self.renderToken(tokens, index, options);
  return `<li class="task${task ? ' task--done' : ''}">`;
};

rules.heading_open = (tokens, index) => `<h${printedLevel(tokens[index])}${attributes(tokens[index])}>`;
rules.heading_close = (tokens, index) => `</h${printedLevel(lastOpen(tokens, index, 'heading_open'))}>\n`;

/** The nearest opening token of `type` before `index`. */
function lastOpen(tokens: Token[], index: number, type: string): Token {
  for (let at = index - 1; at >= 0; at--) if (tokens[at].type === type) return tokens[at];
  throw new Error(`no ${type} before token ${index}`);
}

/** ①–⑳ as Chinese newspapers number their notes, then [21], [22]…; styles/ number the notes list alike. */
export function noteMark(number: number): string {
  return number <= 20 ? String.fromCodePoint(0x2460 + number - 1) : `[${number}]`;
}

function noteRef(number: number, current: RenderState): string {
  return current.options.target === 'print'
    ? `<sup class="note-ref" data-no-text>${noteMark(number)}</sup>`
    : `<sup><a class="note-ref" epub:type="noteref" role="doc-noteref" href="#note-${number}">${noteMark(number)}</a></sup>`;
}

function codeBlock(token: Token, current: RenderState): string {
  const content = token.content.replace(/\n$/, '');
  const wide = current.options.target === 'print' && content.split('\n').some((line) => visualWidth(line) > COLUMN_WIDTH);
  return `<pre class="code${wide ? ' block-band' : ''}"${attributes(token)}><code>${escape(content)}</code></pre>\n`;
}

function attributes(token: Token): string {
  return (token.attrs ?? []).map(([name, value]) => ` ${name}="${escape(String(value))}"`).join('');
}

function articleFigure(article: Article, id: string): Figure {
  return article.figures.find((figure) => figure.id === id)!;
}

function sameUrl(text: string, href: string): boolean {
  const plain = (value: string) => value.trim().replace(/^(https?:\/\/|mailto:)/i, '').replace(/\/$/, '');
  return plain(text) === plain(href) || plain(text) === plain(decodePath(href));
}

/** Width in Latin characters: a Han or full-width character counts two. */
function visualWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u1100-\uFFEF]/.test(char) ? 2 : 1;
  return width;
}

/**
 * The tokens as rendered for the target: in print, each block carries its source line (click-to-source in
 * the preview) and the id of its text (the no-loss check after pagination).
 */
function stamped(tokens: Token[], target: Target, bodyOffset: number): Token[] {
  if (target !== 'print') return tokens;
  return tokens.map((token, index) => {
    const extra: [string, string][] = [];
    if (token.nesting === 1 && token.map) extra.push(['data-source-line', String(token.map[0] + 1 + bodyOffset)]);
    const next = tokens[index + 1];
    const carried = next?.type === 'inline' && token.nesting === 1 && !token.hidden ? textBlockOf(next) : textBlockOf(token);
    if (carried !== undefined && (token.nesting === 1 || token.type === 'code_block' || token.type === 'fence')) extra.push(['data-text', String(carried)]);
    if (!extra.length) return token;
    const copy = Object.assign(Object.create(Object.getPrototypeOf(token) as object) as Token, token);
    copy.attrs = [...(token.attrs ?? []), ...extra];
    return copy;
  });
}

/**
 * Renders the body (everything below the headline block) for a target.
 *
 * @example
 * renderBody(article, { target: 'epub', imageUrl: (figure) => figure.src });
 */
export function renderBody(article: Article, options: BodyOptions): string {
  const current: RenderState = { article, options, notes: [], footnoteNumbers: new Map() };
  const tokens = stamped(article.tokens, options.target, article.bodyOffset);
  const end = tokens.findIndex((token) => token.type === 'footnote_block_open');
  const main = end < 0 ? tokens : tokens.slice(0, end);
  let html = md.renderer.render(hideInlineOfHiddenParagraphs(main, options.target), md.options, asEnv(current));

  // Footnote texts, by markdown-it-footnote id; rendering them may number further notes (links inside notes).
  const footnotes = new Map<number, Token[]>();
  if (end >= 0) {
    for (let at = end; at < tokens.length; at++) {
      if (tokens[at].type !== 'footnote_open') continue;
      const close = tokens.findIndex((token, index) => index > at && token.type === 'footnote_close');
      footnotes.set(Number((tokens[at].meta as { id: number }).id), tokens.slice(at + 1, close).filter((token) => token.type !== 'footnote_anchor'));
    }
    for (const id of footnotes.keys()) {
      if (!current.footnoteNumbers.has(id)) {
        const number = current.notes.length + 1;
        current.footnoteNumbers.set(id, number);
        current.notes.push({ number, kind: 'footnote', id });
      }
    }
  }
  if (!current.notes.length) return html;
  const items: string[] = [];
  for (let k = 0; k < current.notes.length; k++) {
    const note = current.notes[k];
    const body = note.kind === 'footnote'
      ? md.renderer.render(footnotes.get(note.id) ?? [], md.options, asEnv(current))
      : `<p class="note-url"><a href="${escape(note.url)}">${escape(decodePath(note.url))}</a></p>`;
    items.push(options.target === 'print'
      ? `<li id="note-${note.number}" value="${note.number}">${body}</li>`
      : `<li id="note-${note.number}" epub:type="endnote" role="doc-endnote">${body}</li>`);
  }
  html += options.target === 'print'
    ? `<section class="notes"><h2 class="notes-head">注释</h2>\n<ol class="notes-list">\n${items.join('\n')}\n</ol>\n</section>\n`
    : `<section class="notes" epub:type="endnotes" role="doc-endnotes"><h2 class="notes-head">注释</h2>\n<ol class="notes-list">\n${items.join('\n')}\n</ol>\n</section>\n`;
  return html;
}

/** Tight list items hide their paragraph tags; their text id then goes on a span of its own. */
function hideInlineOfHiddenParagraphs(tokens: Token[], target: Target): Token[] {
  if (target !== 'print') return tokens;
  return tokens.flatMap((token, index) => {
    const id = textBlockOf(token);
    if (token.type !== 'inline' || id === undefined || !tokens[index - 1]?.hidden) return [token];
    const markup = (content: string) => Object.assign(Object.create(Object.getPrototypeOf(token) as object) as Token, token, { type: 'banmian_markup', content, children: null });
    return [markup(`<span data-text="${id}">`), token, markup('</span>')];
  });
}
rules.banmian_markup = (tokens, index) => tokens[index].content;


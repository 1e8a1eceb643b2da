// Page-break markers for the EPUB: where each page of the printed edition (the PDF stage's page map) begins,
// placed in the e-book's text so that its page-list takes a reader to "page 2 of the printed edition". They go
// into the model's tokens before the body is rendered, as markup tokens the document stage writes out verbatim.
import type { Token } from 'markdown-it';
import { UNCOUNTED, type PageMap } from '../print/page-map.ts';

/** The marker of printed page `page`; its id is the page-list's target. */
export const pageBreakId = (page: number) => `page-${page}`;
export const pageBreakMarker = (page: number) => `<span epub:type="pagebreak" role="doc-pagebreak" id="${pageBreakId(page)}" aria-label="${page}"></span>`;

/** A place in the token stream: before token `token` (child -1), or inside inline token `token`, at character `at` of child `child`. */
interface Place {
  token: number;
  child: number;
  at: number;
}

const before = (a: Place, b: Place) => a.token - b.token || a.child - b.child || a.at - b.at;

export interface MarkedTokens {
  tokens: Token[];
  /** Markers that go before the body: page 1, and any page that starts in the headline block. */
  leading: string;
}

/**
 * The body's tokens with one marker per printed page: in the block the page starts in (matched by source line),
 * before the first character set on that page. A block the e-book lacks gives way to the next one after it;
 * markers never go backwards, so every page is there, in order.
 *
 * @example
 * const { tokens, leading } = markPageBreaks(article.tokens, pageMap, article.bodyOffset);
 * renderBody({ ...article, tokens }, { target: 'epub', imageUrl }); // `<p>…<span … id="page-2" …></span>…</p>`
 */
export function markPageBreaks(tokens: Token[], pageMap: PageMap, bodyOffset: number): MarkedTokens {
  const lineOf = (token: Token) => (token.map && token.nesting >= 0 ? token.map[0] + 1 + bodyOffset : undefined);
  let leading = '';
  let cursor: Place | undefined;
  const places: (Place & { page: number })[] = [];
  for (const start of pageMap) {
    const block = start.page === 1 || start.line === undefined ? -1
      : [tokens.findIndex((token) => lineOf(token) === start.line), tokens.findIndex((token) => (lineOf(token) ?? 0) > start.line!)].find((index) => index >= 0) ?? tokens.length;
    if (block < 0 && !cursor) {
      leading += pageBreakMarker(start.page);
      continue;
    }
    const found = block < 0 ? cursor! : placeIn(tokens, block, start.offset);
    cursor = cursor && before(found, cursor) < 0 ? cursor : found;
    places.push({ ...cursor, page: start.page });
  }

  const marked: Token[] = [];
  tokens.forEach((token, index) => {
    for (const place of places.filter((candidate) => candidate.token === index && candidate.child < 0)) marked.push(markup(token, pageBreakMarker(place.page)));
    const inside = places.filter((candidate) => candidate.token === index && candidate.child >= 0);
    if (!inside.length) return void marked.push(token);
    const children: Token[] = [];
    (token.children ?? []).forEach((child, childIndex) => {
      let done = 0;
      for (const place of inside.filter((candidate) => candidate.child === childIndex)) {
        if (place.at > done) children.push(withContent(child, child.content.slice(done, place.at)));
        children.push(markup(child, pageBreakMarker(place.page)));
        done = place.at;
      }
      children.push(done ? withContent(child, child.content.slice(done)) : child);
    });
    marked.push(Object.assign(copy(token), { children }));
  });
  for (const place of places.filter((candidate) => candidate.token === tokens.length)) marked.push(markup(tokens.at(-1)!, pageBreakMarker(place.page)));
  return { tokens: marked, leading };
}

/** Where `offset` counted characters into the block opened at token `open` lie: before the next character or image. */
function placeIn(tokens: Token[], open: number, offset: number): Place {
  if (open >= tokens.length || (tokens[open].nesting === 0 && tokens[open].type !== 'inline')) return { token: open, child: -1, at: 0 };
  const level = tokens[open].level;
  let seen = 0;
  for (let index = open; index < tokens.length; index++) {
    const token = tokens[index];
    if (index > open && token.level <= level && token.nesting <= 0 && token.type !== 'inline') return { token: index, child: -1, at: 0 };
    if (token.type !== 'inline') continue;
    for (const [child, part] of (token.children ?? []).entries()) {
      if (part.type === 'image' && seen >= offset) return { token: index, child, at: 0 };
      if (part.type !== 'text' && part.type !== 'code_inline' && part.type !== 'text_special') continue;
      let at = 0;
      for (const character of part.content) {
        if (character.replace(UNCOUNTED, '')) {
          if (seen === offset) return { token: index, child, at };
          seen++;
        }
        at += character.length;
      }
    }
  }
  return { token: tokens.length, child: -1, at: 0 };
}

const copy = (token: Token): Token => Object.assign(Object.create(Object.getPrototypeOf(token) as object) as Token, token);
const withContent = (token: Token, content: string): Token => Object.assign(copy(token), { content });
/** A token the document stage writes out as it is (its `banmian_markup` rule). */
const markup = (like: Token, content: string): Token => Object.assign(copy(like), { type: 'banmian_markup', tag: '', nesting: 0, content, children: null, map: null });

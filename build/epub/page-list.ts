// Page-break markers for the EPUB: where each page of the printed edition (the PDF stage's page map) begins,
// placed in the e-book's text so that its page-list takes a reader to "page 2 of the printed edition".
import { UNCOUNTED, type PageMap } from '../print/page-map.ts';

const VOID = /^<(?:img|br|hr|wbr|col|source|meta|link|input)\b/i;
/** One character of text as the page map counts it: an entity or a character; whitespace and joiners are skipped. */
const CHARACTER = /&[#a-z0-9]+;|[\s\S]/giu;

/** The marker of printed page `page`; its id is the page-list's target. */
export const pageBreakId = (page: number) => `page-${page}`;
const marker = (page: number) => `<span epub:type="pagebreak" role="doc-pagebreak" id="${pageBreakId(page)}" aria-label="${page}"></span>`;

/**
 * Inserts one marker per printed page into `html` (the content document's markup, with its
 * `data-source-line` attributes still in): in the block the page starts in, before the first character
 * set on that page. A page whose block is not in the e-book (or that starts in the headline block) gets
 * the first block of a later line, and markers never go backwards, so every page is in the list, in order.
 *
 * @example
 * markPageBreaks('<p data-source-line="9">一二三四</p>', [{ page: 1, line: 9, offset: 0, text: '一二' }, { page: 2, line: 9, offset: 2, text: '三四' }]);
 * // '<p data-source-line="9"><span … id="page-1" …></span>一二<span … id="page-2" …></span>三四</p>'
 */
export function markPageBreaks(html: string, pageMap: PageMap): string {
  const tokens = html.match(/<[^>]*>|[^<]+/g) ?? [];
  /** Token index of each block's opening tag, by source line, in document order. */
  const blocks = tokens.flatMap((token, index) => {
    const line = /^<[a-z][^>]*\sdata-source-line="(\d+)"/i.exec(token)?.[1];
    return line ? [{ line: Number(line), index }] : [];
  });
  /** Insertions: before token `index`, at character `at` of that token (text tokens only), in document order. */
  const places: { index: number; at: number; page: number }[] = [];
  for (const start of pageMap) {
    const block = start.line === undefined || start.page === 1 ? undefined : blocks.find((candidate) => candidate.line === start.line) ?? blocks.find((candidate) => candidate.line > start.line!);
    const place = block ? placeIn(tokens, block.index, start.offset) : start.page === 1 ? placeIn(tokens, 0, 0) : { index: tokens.length, at: 0 };
    const previous = places.at(-1);
    const ordered = previous && (place.index < previous.index || (place.index === previous.index && place.at < previous.at)) ? previous : place;
    places.push({ ...ordered, page: start.page });
  }
  let out = '';
  for (const [index, token] of [...tokens, ''].entries()) {
    const here = places.filter((place) => place.index === index);
    let done = 0;
    for (const place of here) {
      out += token.slice(done, place.at) + marker(place.page);
      done = place.at;
    }
    out += token.slice(done);
  }
  return out;
}

/** Where `offset` counted characters into the element opened at token `open` lie: before the next character or image. */
function placeIn(tokens: string[], open: number, offset: number): { index: number; at: number } {
  let depth = 0;
  let seen = 0;
  for (let index = open; index < tokens.length; index++) {
    const token = tokens[index];
    if (token.startsWith('<')) {
      if (/^<img\b/i.test(token) && seen >= offset) return { index, at: 0 };
      if (token.startsWith('</')) depth--;
      else if (!VOID.test(token) && !token.endsWith('/>') && !token.startsWith('<!')) depth++;
      if (depth <= 0 && index > open) return { index, at: 0 };
      continue;
    }
    for (const match of token.matchAll(CHARACTER)) {
      const character = match[0].startsWith('&') && match[0].length > 1 ? decodeEntity(match[0]) : match[0];
      if (character.replace(UNCOUNTED, '') === '') continue;
      if (seen === offset) return { index, at: match.index };
      seen++;
    }
  }
  return { index: tokens.length, at: 0 };
}

const decodeEntity = (entity: string) => (/^&#x/i.test(entity) ? String.fromCodePoint(parseInt(entity.slice(3, -1), 16))
  : /^&#/.test(entity) ? String.fromCodePoint(Number(entity.slice(2, -1))) : 'x');

// Gives every text, code span and image token its exact offset in the article file, so that check rules
// point at the right column and never have to read the Markdown again. markdown-it maps blocks to lines
// only; each inline token is found here, in order, inside its block's source lines.
import type { MarkdownIt, Token } from 'markdown-it';
import type { ParseEnv } from '../env.ts';

/** What this rule adds to a token's `meta`. */
export interface OffsetMeta {
  /** File offset of the token's first source character. */
  offset: number;
}

export function offsetOf(token: Token): number | undefined {
  return (token.meta as Partial<OffsetMeta> | null)?.offset;
}

export function offsets(md: MarkdownIt): void {
  md.core.ruler.before('text_join', 'banmian_offsets', (state) => {
    const env = state.env as unknown as ParseEnv;
    const lines = state.src.split('\n');
    let row = { line: -1, cursor: 0 };
    let rowMap: [number, number] | null = null;
    state.tokens.forEach((token, index) => {
      if (token.type === 'tr_open') rowMap = token.map;
      const opener = state.tokens[index - 1]?.type ?? '';
      // markdown-it maps table rows, not cells: a cell's text is on its row's line.
      if (token.type === 'inline' && !token.map && (opener === 'td_open' || opener === 'th_open')) token.map = rowMap;
      if (token.type !== 'inline' || !token.map || !token.children) return;
      let starts: number[];
      if (opener === 'td_open' || opener === 'th_open') {
        // A cell: its text, trimmed, found after the previous cell of the same row.
        if (row.line !== token.map[0]) row = { line: token.map[0], cursor: env.lineStarts[token.map[0]] };
        const at = token.content ? state.src.indexOf(token.content, row.cursor) : -1;
        starts = [at < 0 ? row.cursor : at];
        if (at >= 0) row.cursor = at + token.content.length;
      } else {
        starts = lineStarts(token, lines, env);
      }
      align(token.children, token.content, contentOffset(token.content, starts, env.offsetBase));
    });
  });
  // text_join would merge escapes into neighbouring text and lose their offsets; text_special renders as text.
  md.core.ruler.disable('text_join');
}

/** For each line of the block's content, the body offset where that line's content starts. */
function lineStarts(token: Token, lines: string[], env: ParseEnv): number[] {
  return token.content.split('\n').map((content, k) => {
    const lineIndex = token.map![0] + k;
    const line = (lines[lineIndex] ?? '').replace(/\r$/, '');
    // The content is the line without its list, quote or heading markers: a suffix, bar trailing blanks.
    const at = content ? line.lastIndexOf(content.trimEnd()) : -1;
    return (env.lineStarts[lineIndex] ?? 0) + (at < 0 ? Math.max(0, line.length - content.length) : at);
  });
}

/** Maps an index into the block's content to a file offset. */
function contentOffset(content: string, starts: number[], base: number): (index: number) => number {
  const breaks = [0];
  for (let at = content.indexOf('\n'); at >= 0; at = content.indexOf('\n', at + 1)) breaks.push(at + 1);
  return (index) => {
    let k = breaks.length - 1;
    while (k > 0 && breaks[k] > index) k--;
    return base + (starts[k] ?? starts[0]) + index - breaks[k];
  };
}

/** Walks the tokens in source order, finding each in `content` after the previous one. */
function align(children: Token[], content: string, toOffset: (index: number) => number): void {
  let cursor = 0;
  const place = (token: Token, needle: string) => {
    const at = needle ? content.indexOf(needle, cursor) : -1;
    token.meta = { ...(token.meta ?? {}), offset: toOffset(at < 0 ? cursor : at) };
    if (at >= 0) cursor = at + needle.length;
    return at;
  };
  for (const child of children) {
    switch (child.type) {
      case 'text':
        place(child, child.content);
        break;
      case 'text_special':
        place(child, child.markup || child.content);
        break;
      case 'code_inline': {
        const at = place(child, child.markup);
        if (at >= 0) {
          const close = content.indexOf(child.markup, at + child.markup.length);
          if (close >= 0) cursor = close + child.markup.length;
        }
        break;
      }
      case 'image': {
        const at = place(child, '![');
        if (at >= 0 && child.children) {
          const altStart = at + 2;
          align(child.children, child.content, (index) => toOffset(altStart + index));
          cursor = skipDestination(content, altStart + child.content.length);
        }
        break;
      }
      case 'link_close':
        cursor = skipDestination(content, cursor);
        break;
      case 'softbreak':
      case 'hardbreak': {
        const at = content.indexOf('\n', cursor);
        if (at >= 0) cursor = at + 1;
        break;
      }
      default:
        break;
    }
  }
}

/** Past `](…)` or `][…]` when the cursor stands at the `]` that ends a link's or an image's text. */
function skipDestination(content: string, cursor: number): number {
  if (content[cursor] !== ']') return cursor;
  const open = content[cursor + 1];
  if (open !== '(' && open !== '[') return cursor + 1;
  const close = open === '(' ? ')' : ']';
  let depth = 0;
  for (let at = cursor + 1; at < content.length; at++) {
    const char = content[at];
    if (char === '\\') { at++; continue; }
    if (char === open) depth++;
    else if (char === close && --depth === 0) return at + 1;
  }
  return cursor + 1;
}

// Wraps each section head and its text in a section token with an ASCII id (`sec-1`), the head's words as its title.
// The section heads are the shallowest heads of the body (`##` in a newspaper article, `#` in a plain file).
// Each head's printed level is worked out here, once: the renderer asked the whole token list for every head
// (two thirds of rendering a long article's document, quadratic in its heads).
import type { MarkdownIt, Token } from 'markdown-it';
import { fileLine, type ParseEnv } from '../env.ts';

export function sections(md: MarkdownIt): void {
  md.core.ruler.push('banmian_sections', (state) => {
    const env = state.env as unknown as ParseEnv;
    const heads = state.tokens.filter((token) => token.type === 'heading_open' && token.level === 0);
    const level = Math.min(...heads.map((token) => Number(token.tag.slice(1))));
    const out: Token[] = [];
    let open = false;
    state.tokens.forEach((token, index) => {
      if (token.type === 'heading_open') token.meta = { ...token.meta, printedLevel: printed(token, level) };
      if (token.type === 'heading_open' && token.level === 0 && token.tag === `h${level}`) {
        if (open) out.push(new state.Token('section_close', 'section', -1));
        const title = state.tokens[index + 1].content;
        const id = `sec-${env.sections.length + 1}`;
        env.sections.push({ id, title, line: fileLine(env, token.map) });
        const section = new state.Token('section_open', 'section', 1);
        section.attrSet('id', id);
        section.attrSet('class', 'section');
        section.block = true;
        section.meta = { head: true };
        out.push(section);
        open = true;
      }
      out.push(token);
    });
    if (open) out.push(new state.Token('section_close', 'section', -1));
    state.tokens = out;
  });
}

/** Section heads print as h2, deeper heads below them as h3–h6; with no section head (a head in a quote only), as if `#` were one. */
const printed = (head: Token, sectionLevel: number) => Math.min(6, Number(head.tag.slice(1)) - (Number.isFinite(sectionLevel) ? sectionLevel : 1) + 2);

/** The printed level of a head (worked out by the rule above). */
export const printedLevel = (head: Token): number => (head.meta as { printedLevel: number }).printedLevel;

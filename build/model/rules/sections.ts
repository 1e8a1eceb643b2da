// Wraps each section head and its text in a section token with an ASCII id (`sec-1`), the head's words as its title.
// The section heads are the shallowest heads of the body (`##` in a newspaper article, `#` in a plain file).
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

/** The printed level of a head: section heads print as h2, deeper heads below them as h3–h6. */
export function printedLevel(tokens: Token[], head: Token): number {
  const sectionLevel = Math.min(...tokens.filter((token) => token.type === 'heading_open' && token.level === 0).map((token) => Number(token.tag.slice(1))));
  return Math.min(6, Number(head.tag.slice(1)) - sectionLevel + 2);
}

// Wraps each `##` section head and its text in a <section> with a stable id taken from the head's words.
import type { MarkdownIt } from 'markdown-it';
import type { Token } from 'markdown-it';
import { fileLine, type RenderEnv } from './env.ts';

/** `梯度培育 激活企业成长新动能` → `sec-梯度培育-激活企业成长新动能`: stable while the head's wording is. */
export function sectionId(title: string): string {
  return `sec-${title.trim().replace(/[\s\p{P}\p{S}]+/gu, '-').replace(/^-|-$/g, '').toLowerCase()}`;
}

export function sections(md: MarkdownIt): void {
  md.core.ruler.push('banmian_sections', (state) => {
    const env = state.env as RenderEnv;
    const out: Token[] = [];
    let open = false;
    state.tokens.forEach((token, index) => {
      if (token.type === 'heading_open' && token.tag === 'h2') {
        if (open) out.push(new state.Token('section_close', 'section', -1));
        const title = state.tokens[index + 1].content;
        const id = uniqueId(sectionId(title), env);
        env.sections.push({ id, title, line: fileLine(env, token.map) ?? 0 });
        const section = new state.Token('section_open', 'section', 1);
        section.attrSet('id', id);
        section.attrSet('class', 'section');
        section.block = true;
        out.push(section);
        open = true;
      }
      out.push(token);
    });
    if (open) out.push(new state.Token('section_close', 'section', -1));
    state.tokens = out;
  });
}

function uniqueId(id: string, env: RenderEnv): string {
  const taken = new Set(env.sections.map((section) => section.id));
  let candidate = id;
  for (let n = 2; taken.has(candidate); n++) candidate = `${id}-${n}`;
  return candidate;
}

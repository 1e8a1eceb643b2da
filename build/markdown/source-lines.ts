// Marks every block element with the file line it came from, so the preview can jump to the source.
import type { MarkdownIt } from 'markdown-it';
import { fileLine, type RenderEnv } from './env.ts';

export function sourceLines(md: MarkdownIt): void {
  md.core.ruler.push('banmian_source_lines', (state) => {
    const env = state.env as RenderEnv;
    for (const token of state.tokens) {
      const line = token.nesting === 1 ? fileLine(env, token.map) : undefined;
      if (line) token.attrSet('data-source-line', String(line));
    }
  });
}

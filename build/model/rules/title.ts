// The headline of a plain Markdown file is its first `# ` heading: it becomes the title and leaves the body,
// so it never prints twice. A `# ` heading repeating the front matter's title leaves the body too.
import type { MarkdownIt } from 'markdown-it';
import type { ParseEnv } from '../env.ts';

export type TitleEnv = {
  /** The front matter's `title`, when it has one. */
  declaredTitle?: string;
  /** Set by this rule: the heading taken as the title, and its file offset. */
  headingTitle?: { text: string; line: number };
};

const same = (a: string, b: string) => a.replace(/\s+/g, '') === b.replace(/\s+/g, '');

export function title(md: MarkdownIt): void {
  md.core.ruler.after('inline', 'banmian_title', (state) => {
    const env = state.env as unknown as ParseEnv & TitleEnv;
    const index = state.tokens.findIndex((token) => token.type === 'heading_open' && token.tag === 'h1' && token.level === 0);
    if (index < 0) return;
    const text = state.tokens[index + 1].content.trim();
    if (env.declaredTitle !== undefined && !same(env.declaredTitle, text)) return;
    env.headingTitle = { text, line: state.tokens[index].map![0] + 1 + env.lineOffset };
    state.tokens.splice(index, 3);
  });
}

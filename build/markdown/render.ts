// The Markdown → HTML stage: one markdown-it processor with banmian's rules, created once and used per article.
import MarkdownIt from 'markdown-it';
import cjkFriendly from 'markdown-it-cjk-friendly';
import { figures } from './figures.ts';
import { glue } from './glue.ts';
import { rawHtml } from './raw-html.ts';
import { sections } from './sections.ts';
import { sourceLines } from './source-lines.ts';
import type { FigureData, RenderEnv, SectionData } from './env.ts';

export interface RenderedBody {
  html: string;
  figures: FigureData[];
  sections: SectionData[];
}

/**
 * Creates the body renderer. Rule order matters: figures are recognised before source lines are
 * stamped (so the <figure> carries its line), and sections wrap the finished block stream.
 *
 * @example
 * const render = createMarkdownRenderer();
 * render('## 小标题\n\n正文', { file: 'a/article.md', lineOffset: 3 }).sections[0].line; // 4
 */
export function createMarkdownRenderer() {
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false })
    .use(cjkFriendly)
    .use(rawHtml)
    .use(figures)
    .use(sourceLines)
    .use(sections)
    .use(glue);
  md.disable(['code', 'fence', 'table', 'lheading']);

  return function renderMarkdown(body: string, where: { file: string; lineOffset: number }): RenderedBody {
    const env: RenderEnv = { ...where, figures: [], sections: [] };
    const html = md.render(body, env);
    return { html, figures: env.figures, sections: env.sections };
  };
}

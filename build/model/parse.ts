// The one reading of a manuscript's Markdown: markdown-it (CommonMark + GFM tables, strikethrough, autolinks,
// task lists, footnotes) with banmian's rules, giving a token stream whose text tokens carry file offsets.
// `build`, `check` and `preview` all work from this stream; nothing reads the Markdown a second time.
import MarkdownIt, { type Token } from 'markdown-it';
import cjkFriendly from 'markdown-it-cjk-friendly';
import footnote from 'markdown-it-footnote';
import { lineStartsOf } from './lines.ts';
import type { Diagnostic } from './diagnostics.ts';
import type { FigureData, ParseEnv, SectionData } from './env.ts';
import { figures } from './rules/figures.ts';
import { keepUnreferencedNotes } from './rules/footnotes.ts';
import { offsets } from './rules/offsets.ts';
import { rawHtml } from './rules/raw-html.ts';
import { sections } from './rules/sections.ts';
import { strayMarkup } from './rules/stray-markup.ts';
import { tasks } from './rules/tasks.ts';
import { title, type TitleEnv } from './rules/title.ts';

export interface ParsedBody {
  tokens: Token[];
  figures: FigureData[];
  sections: SectionData[];
  /** The first `# ` heading when it was taken as the title. */
  headingTitle?: { text: string; line: number };
}

export interface ParseOptions {
  file: string;
  /** Lines and characters before the body (the front matter). */
  lineOffset: number;
  offsetBase: number;
  /** The front matter's title, if it gives one: a `# ` heading repeating it leaves the body. */
  declaredTitle?: string;
  /** Where problems are collected. */
  diagnostics: Diagnostic[];
}

/** The parser, created once per process: rule order is fixed here (markdown-it's own chain, then ours). */
const md = new MarkdownIt({ html: true, linkify: true, typographer: false })
  .use(cjkFriendly)
  .use(footnote)
  .use(keepUnreferencedNotes)
  .use(title)
  .use(tasks)
  .use(offsets)
  .use(figures)
  .use(rawHtml)
  .use(sections)
  .use(strayMarkup);

/**
 * Parses an article's body.
 *
 * @example
 * parseBody('## 小标题\n\n正文', { file: 'a/article.md', lineOffset: 3, offsetBase: 20, diagnostics: [] }).sections[0].line; // 4
 */
export function parseBody(body: string, options: ParseOptions): ParsedBody {
  const env: ParseEnv & TitleEnv = {
    file: options.file,
    lineOffset: options.lineOffset,
    offsetBase: options.offsetBase,
    lineStarts: lineStartsOf(body),
    figures: [],
    sections: [],
    diagnostics: options.diagnostics,
    declaredTitle: options.declaredTitle,
  };
  const tokens = md.parse(body, env as unknown as Record<string, unknown>);
  return { tokens, figures: env.figures, sections: env.sections, headingTitle: env.headingTitle };
}

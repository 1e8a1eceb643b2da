// Composes the article's HTML document: the newspaper headline block and the body rendered from the model.
import type { Article } from '../model/load.ts';
import { renderBody, type BodyOptions, type Target } from './body.ts';

export const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The `<header>` with kicker, title, subtitle and byline, in the order a reader meets them. */
export function renderArticleHeader(article: Article, target: Target): string {
  const { kicker, title, subtitle, byline } = article.frontMatter;
  // In print each carries the id of its text, for the no-loss check after pagination.
  const id = (field: string) => {
    const block = target === 'print' ? article.text.find((candidate) => candidate.field === field && candidate.place === 'header') : undefined;
    return block ? ` data-text="${block.id}"` : '';
  };
  return [
    '<header class="article-header">',
    kicker ? `<p class="kicker"${id('kicker')}>${escapeHtml(kicker)}</p>` : '',
    `<h1 class="title"${id('title')}>${escapeHtml(title)}</h1>`,
    subtitle ? `<p class="subtitle"${id('subtitle')}>${escapeHtml(subtitle)}</p>` : '',
    byline ? `<p class="byline"${id('byline')}>${escapeHtml(byline)}</p>` : '',
    '</header>',
  ].filter(Boolean).join('\n');
}

export interface DocumentOptions extends BodyOptions {
  /** `<link rel="stylesheet">` targets, in cascade order. */
  stylesheets: string[];
  /** Extra markup for the end of `<head>` (e.g. scripts of the preview). */
  head?: string;
}

/** A complete HTML document of the article, for print, preview and the web. */
export function renderDocument(article: Article, options: DocumentOptions): string {
  const { lang, title } = article.frontMatter;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<meta name="description" content="${escapeHtml(article.description)}">
${options.stylesheets.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`).join('\n')}
${options.head ?? ''}
</head>
<body>
<article class="article" lang="${lang}">
${renderArticleHeader(article, options.target)}
<div class="article-body">
${renderBody(article, options)}
</div>
</article>
</body>
</html>
`;
}

// Composes the article's HTML document: the newspaper header block and the rendered body.
import type { Article } from '../manuscript/load.ts';

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The `<header>` with kicker, title, subtitle and byline, in the order a reader meets them. */
export function renderArticleHeader(article: Article): string {
  const { kicker, title, subtitle, byline } = article.frontMatter;
  return [
    '<header class="article-header">',
    kicker ? `<p class="kicker">${escapeHtml(kicker)}</p>` : '',
    `<h1 class="title">${escapeHtml(title)}</h1>`,
    subtitle ? `<p class="subtitle">${escapeHtml(subtitle)}</p>` : '',
    byline ? `<p class="byline">${escapeHtml(byline)}</p>` : '',
    '</header>',
  ].filter(Boolean).join('\n');
}

export interface DocumentOptions {
  /** `<link rel="stylesheet">` targets, in cascade order. */
  stylesheets: string[];
  /** Rewrites an image path from the Markdown (already HTML-escaped) into the URL the document uses. */
  imageUrl: (src: string) => string;
  /** Extra markup for the end of `<head>` (e.g. scripts of the preview). */
  head?: string;
}

/** A complete HTML document of the article, for print, preview and the web. */
export function renderDocument(article: Article, options: DocumentOptions): string {
  const { lang, title } = article.frontMatter;
  const body = article.body.html.replace(/(<img src=")([^"]*)(")/g, (_, open, src, close) => open + options.imageUrl(src) + close);
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
${renderArticleHeader(article)}
<div class="article-body">
${body}
</div>
</article>
</body>
</html>
`;
}

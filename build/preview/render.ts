// The page the preview paginates: the print document, plus Paged.js's polyfill and the frame's hook to the preview.
import path from 'node:path';
import { renderDocument } from '../html/document.ts';
import { loadArticle, type Article } from '../manuscript/load.ts';
import type { PresetName } from '../print/presets.ts';

export interface RenderPreviewOptions {
  dir: string;
  preset: PresetName;
  /** Maps an absolute file path to the URL the preview serves it at. */
  assetUrl: (file: string) => string;
  /** Paged.js's polyfill, as served. */
  pagedUrl: string;
  /** The frame script (it must run before the polyfill reads `window.PagedConfig`). */
  frameScriptUrl: string;
}

export interface PreviewDocument {
  article: Article;
  html: string;
}

/** Loads the article and composes its print document for the preview frame; throws the loader's UserError on bad input. */
export async function renderPreviewDocument(options: RenderPreviewOptions): Promise<PreviewDocument> {
  const article = await loadArticle(options.dir);
  const figurePaths = new Map(article.figures.map((figure) => [figure.src, figure.path]));
  const head = [options.frameScriptUrl, options.pagedUrl].map((src) => `<script src="${src}"></script>`).join('\n');
  const html = renderDocument(article, {
    stylesheets: [],
    imageUrl: (src) => options.assetUrl(figurePaths.get(unescapeAttribute(src)) ?? path.join(article.dir, src)),
    head,
  });
  return { article, html };
}

function unescapeAttribute(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

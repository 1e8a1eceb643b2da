// The page the preview paginates: the print document (the very HTML the PDF is made from), plus Paged.js's polyfill and the frame's hook to the preview.
import { loadArticle, type Article } from '../model/load.ts';
import { PAGED_HANDLERS, renderPrintDocument } from '../print/document.ts';
import { PRESETS, type PresetName } from '../print/presets.ts';

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

/**
 * Loads the article and composes its print document for the preview frame; throws the loader's UserError on bad input.
 * Script order mirrors the PDF printer: Paged.js first, then the same handlers, registered before pagination starts.
 */
export async function renderPreviewDocument(options: RenderPreviewOptions): Promise<PreviewDocument> {
  const article = await loadArticle(options.dir);
  const scripts = [options.frameScriptUrl, options.pagedUrl, ...PAGED_HANDLERS.map(options.assetUrl)];
  const html = renderPrintDocument({
    article,
    preset: PRESETS[options.preset],
    cropMarks: false,
    bleed: 0,
    assetUrl: options.assetUrl,
    head: scripts.map((src) => `<script src="${src}"></script>`).join('\n'),
  });
  return { article, html };
}

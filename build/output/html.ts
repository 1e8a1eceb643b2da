// The `html` format: the print document as a standalone page, dist/<slug>.html, with every file it loads
// (fonts, photos, Paged.js and its handlers; its stylesheets are written into it) copied into dist/<slug>_files/
// so it paginates anywhere.
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Article } from '../model/load.ts';
import { PAGED_HANDLERS, PAGED_POLYFILL, renderPrintDocument } from '../print/document.ts';
import type { Preset } from '../print/presets.ts';
import { writeFileAtomic } from './write.ts';

const FOLDER_BY_EXTENSION: Record<string, string> = { '.woff2': 'fonts', '.ttf': 'fonts', '.css': 'styles', '.js': 'scripts' };

export interface WriteHtmlOptions {
  article: Article;
  preset: Preset;
  cropMarks: boolean;
  bleed: number;
  outDir: string;
  /** Include Paged.js and its handlers (false: Chromium's own page breaks, as the benchmark's floor needs). */
  paged?: boolean;
}

export async function writeHtml({ article, preset, cropMarks, bleed, outDir, paged = true }: WriteHtmlOptions): Promise<string> {
  const assets = `${article.slug}_files`;
  const copies = new Map<string, string>();
  const assetUrl = (file: string) => {
    // Photos keep their path inside the article folder; other files go by name into a folder of their kind.
    const relative = file.startsWith(article.dir + path.sep)
      ? path.relative(article.dir, file)
      : path.join(FOLDER_BY_EXTENSION[path.extname(file)] ?? 'assets', path.basename(file));
    copies.set(file, path.join(outDir, assets, relative));
    return `${assets}/${relative.split(path.sep).map(encodeURIComponent).join('/')}`;
  };
  const scripts = paged ? [PAGED_POLYFILL, ...PAGED_HANDLERS].map((file) => `<script src="${assetUrl(file)}"></script>`).join('\n') : '';
  const html = renderPrintDocument({ article, preset, cropMarks, bleed, assetUrl, head: scripts });
  for (const [source, target] of copies) {
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(source, target);
  }
  const target = path.join(outDir, `${article.slug}.html`);
  await writeFileAtomic(target, html);
  return target;
}

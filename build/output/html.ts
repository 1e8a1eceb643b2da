// The `html` format: the print HTML as a standalone file, dist/<slug>.html, with its images in dist/<slug>_files/.
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Article } from '../manuscript/load.ts';
import { renderDocument } from '../html/document.ts';
import { writeFileAtomic } from './write.ts';

export interface WriteHtmlOptions {
  article: Article;
  outDir: string;
}

export async function writeHtml({ article, outDir }: WriteHtmlOptions): Promise<string> {
  const assets = `${article.slug}_files`;
  for (const figure of article.figures) {
    const target = path.join(outDir, assets, figure.src);
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(figure.path, target);
  }
  const html = renderDocument(article, { stylesheets: [], imageUrl: (src) => `${assets}/${src}` });
  const target = path.join(outDir, `${article.slug}.html`);
  await writeFileAtomic(target, html);
  return target;
}

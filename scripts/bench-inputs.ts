// Inputs for the benchmark: the print document as a self-contained folder (for the Chromium floor and
// Vivliostyle), and long articles made by repeating the default article's body.
import { copyFile, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArticle } from '../build/manuscript/front-matter.ts';
import { ARTICLE_FILE, type Article } from '../build/manuscript/load.ts';
import { renderPrintDocument } from '../build/print/document.ts';
import type { Preset } from '../build/print/presets.ts';

export interface PrintFolderOptions {
  article: Article;
  preset: Preset;
  /** An empty folder; receives index.html and assets/. */
  dir: string;
}

/**
 * Writes the print document exactly as the PDF stage renders it, but without Paged.js, with every file
 * it loads (styles, fonts, photos) copied under assets/ and referred to by relative URL, so it can be
 * opened from disk or served over HTTP. Resolves to the path of index.html.
 */
export async function writePrintFolder({ article, preset, dir }: PrintFolderOptions): Promise<string> {
  const copies = new Map<string, string>();
  const assetUrl = (file: string) => {
    // Prefixed with a counter: two files of the same name (e.g. photos from different folders) stay apart.
    const name = copies.get(file) ?? `assets/${copies.size}-${path.basename(file)}`;
    copies.set(file, name);
    return name.split('/').map(encodeURIComponent).join('/');
  };
  const html = renderPrintDocument({ article, preset, cropMarks: false, bleed: 0, assetUrl });
  await mkdir(path.join(dir, 'assets'), { recursive: true });
  for (const [source, name] of copies) await copyFile(source, path.join(dir, name));
  const index = path.join(dir, 'index.html');
  await writeFile(index, html);
  return index;
}

export interface LongArticleOptions {
  /** The article folder to repeat. */
  from: string;
  /** The new article folder; created. */
  to: string;
  /** How many times the body appears. */
  copies: number;
}

/**
 * Writes an article whose body is `copies` times the body of `from`, each copy after the first opened by
 * a section head of its own and with its section heads numbered, so every section id stays unique.
 * The photos are shared (copied once); each copy shows them again.
 */
export async function writeLongArticle({ from, to, copies }: LongArticleOptions): Promise<void> {
  const source = await readFile(path.join(from, ARTICLE_FILE), 'utf8');
  const { body } = parseArticle(source, ARTICLE_FILE);
  const frontMatter = source.slice(0, source.length - body.length);
  const parts = Array.from({ length: copies }, (_, index) => {
    if (index === 0) return body;
    const n = index + 1;
    return `## 续篇之${n}\n\n${body.replace(/^## (.+)$/gm, `## $1（${n}）`)}`;
  });
  await mkdir(to, { recursive: true });
  await writeFile(path.join(to, ARTICLE_FILE), `${frontMatter}${parts.join('\n\n')}`);
  await cp(path.join(from, 'images'), path.join(to, 'images'), { recursive: true });
}

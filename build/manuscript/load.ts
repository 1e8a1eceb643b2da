// Loads an article folder: front matter, rendered body, and its images checked before any browser starts.
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { UserError } from '../errors.ts';
import { parseArticle } from './front-matter.ts';
import type { FrontMatter } from './schema.ts';
import { createMarkdownRenderer, type RenderedBody } from '../markdown/render.ts';
import type { FigureData } from '../markdown/env.ts';

export const ARTICLE_FILE = 'article.md';
/** Above this an image is refused: no newspaper photo needs it, and decoding it would stall the build. */
export const MAX_IMAGE_PIXELS = 60_000_000;

export interface Figure extends FigureData {
  /** Absolute path of the image file. */
  path: string;
  width: number;
  height: number;
}

export interface Article {
  /** The folder name; outputs are named after it. */
  slug: string;
  /** Absolute path of the article folder. */
  dir: string;
  /** The article file as the user would name it (relative to the working directory). */
  file: string;
  source: string;
  frontMatter: FrontMatter;
  description: string;
  identifier: string;
  /** Lines before the Markdown body. */
  bodyOffset: number;
  body: Omit<RenderedBody, 'figures'>;
  figures: Figure[];
}

const renderMarkdown = createMarkdownRenderer();

/**
 * Reads, validates and renders one article folder.
 *
 * @example
 * const article = await loadArticle('manuscript/changsha-manufacturing-2025');
 * article.figures.length; // 5
 */
export async function loadArticle(dir: string): Promise<Article> {
  const absDir = path.resolve(dir);
  const absFile = path.join(absDir, ARTICLE_FILE);
  const file = path.relative(process.cwd(), absFile) || ARTICLE_FILE;
  const source = await readFile(absFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UserError(error.code === 'ENOENT' ? `there is no ${ARTICLE_FILE} here` : `cannot read the article: ${error.message}`, {
      file,
      hint: `An article is a folder holding ${ARTICLE_FILE}; check the path you gave.`,
    });
  });
  const { frontMatter, body, bodyOffset } = parseArticle(source, file);
  const rendered = renderMarkdown(body, { file, lineOffset: bodyOffset });
  const lead = firstParagraphText(rendered.html);
  if (!lead && rendered.figures.length === 0) {
    throw new UserError('the article has no text', {
      file,
      line: bodyOffset + 1,
      hint: 'Write the story below the front matter; an empty article cannot be typeset.',
    });
  }
  const figures = await Promise.all(rendered.figures.map((figure) => inspectImage(figure, absDir, file)));
  const slug = path.basename(absDir);
  return {
    slug,
    dir: absDir,
    file,
    source,
    frontMatter,
    description: frontMatter.description ?? summarise(lead),
    identifier: frontMatter.identifier ?? `urn:banmian:${slug}`,
    bodyOffset,
    body: { html: rendered.html, sections: rendered.sections },
    figures,
  };
}

/** The article folders under each given path: a folder holding article.md, or a folder of such folders. */
export async function findArticles(paths: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const given of paths) {
    const info = await stat(given).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw new UserError('the article folder does not exist', { file: given, hint: 'Give the path of a folder holding article.md, e.g. manuscript/changsha-manufacturing-2025.' });
    }
    if (await stat(path.join(given, ARTICLE_FILE)).catch(() => undefined)) {
      found.push(given);
      continue;
    }
    const children = (await readdir(given, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
    for (const child of children) {
      if (await stat(path.join(given, child, ARTICLE_FILE)).catch(() => undefined)) found.push(path.join(given, child));
    }
    if (!children.length && !found.length) {
      throw new UserError(`no ${ARTICLE_FILE} in this folder`, { file: given, hint: 'Give an article folder, or a folder of article folders.' });
    }
  }
  return found;
}

async function inspectImage(figure: FigureData, dir: string, file: string): Promise<Figure> {
  const fail = (what: string, hint: string, code = 'image-unreadable'): never => {
    throw new UserError(`image ${figure.src}: ${what}`, { file, line: figure.line, hint, code });
  };
  if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(figure.src)) {
    fail('remote or non-file URLs are not allowed', 'Download the photo into the article folder and give its relative path, e.g. images/photo.jpg.');
  }
  const imagePath = path.resolve(dir, decodeURI(figure.src));
  if (!imagePath.startsWith(dir + path.sep)) {
    fail('the path leaves the article folder', 'Copy the photo into the article folder (e.g. images/) and refer to it from there.');
  }
  const info = await stat(imagePath).catch(() => undefined);
  if (!info?.isFile()) fail('the file does not exist', `Put the photo at ${path.relative(process.cwd(), imagePath)}, or correct the path.`, 'image-missing');
  if (info!.size === 0) fail('the file is empty', 'Replace it with the real photo.');
  const metadata = await sharp(imagePath, { limitInputPixels: false }).metadata().catch(() => undefined);
  if (!metadata?.width || !metadata.height || !['jpeg', 'png', 'webp', 'tiff', 'gif'].includes(metadata.format ?? '')) {
    fail('the file is not a readable image', 'Save the photo as JPEG or PNG and try again.');
  }
  const { width, height } = metadata!;
  if (width! * height! > MAX_IMAGE_PIXELS) {
    fail(`${width} × ${height} px is too large (over ${MAX_IMAGE_PIXELS / 1e6} megapixels)`, 'Downscale it: about 300 ppi at its printed width is enough.');
  }
  // The header can be intact while the pixels are not (a truncated upload): decode it all once.
  await sharp(imagePath, { failOn: 'truncated' }).resize(64).toBuffer().catch((error: Error) => {
    fail(`the image data is damaged (${error.message.split('\n')[0]})`, 'Export or download the photo again.');
  });
  return { ...figure, path: imagePath, width: width!, height: height! };
}

function firstParagraphText(html: string): string {
  const match = /<p[^>]*>([\s\S]*?)<\/p>/.exec(html);
  return match ? match[1].replace(/<[^>]+>/g, '').replace(/&[a-z]+;/g, ' ').trim() : '';
}

/** The lead cut to a description of at most about 120 characters, ending on a full clause. */
function summarise(lead: string): string {
  if (lead.length <= 120) return lead;
  const cut = lead.slice(0, 120);
  const end = Math.max(cut.lastIndexOf('；'), cut.lastIndexOf('。'), cut.lastIndexOf('，'));
  return `${cut.slice(0, end > 40 ? end : 120)}……`;
}

// Loads an article — a Markdown file with its photos — into the one model that build, check and preview share:
// front matter, the parsed token stream, figures with their image facts, the text blocks, and every diagnostic.
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Token } from 'markdown-it';
import { parseDocument } from 'yaml';
import { UserError } from '../errors.ts';
import { raiseErrors, type Diagnostic } from './diagnostics.ts';
import type { SectionData } from './env.ts';
import { splitArticle, validateFrontMatter } from './front-matter.ts';
import { inspectImage, type Figure } from './images.ts';
import { parseBody } from './parse.ts';
import type { FrontMatter } from './schema.ts';
import { readTextBlocks, type TextBlock } from './text.ts';

export type { Figure } from './images.ts';

/** The Markdown file of an article folder. */
export const ARTICLE_FILE = 'article.md';

/** Where an article is: its Markdown file, and the name its outputs take. */
export interface ArticleSource {
  /** Absolute path of the Markdown file. */
  path: string;
  /** Outputs are `<slug>.pdf` etc.: the folder's name for `article.md`, else the file's stem. */
  slug: string;
}

export interface Article {
  slug: string;
  /** Absolute path of the folder the Markdown file is in; image paths are relative to it. */
  dir: string;
  /** The Markdown file as the user would name it (relative to the working directory). */
  file: string;
  /** Absolute path of the Markdown file. */
  path: string;
  source: string;
  frontMatter: FrontMatter;
  /** Whether the title came from the body's first `# ` heading. */
  titleFromHeading: boolean;
  description: string;
  identifier: string;
  /** Lines before the Markdown body. */
  bodyOffset: number;
  /** The parsed body: markdown-it tokens, text tokens carrying file offsets. */
  tokens: Token[];
  figures: Figure[];
  sections: SectionData[];
  /** Every piece of text in the article, with its place in the file and whether it prints. */
  text: TextBlock[];
}

export interface LoadedArticle {
  article: Article;
  /** Every problem found, errors and warnings, in file order. */
  diagnostics: Diagnostic[];
}

/**
 * An article ready to typeset: the path resolved, the article read, and every error in it thrown at once.
 *
 * @example
 * const article = await loadArticle('manuscript/changsha-manufacturing-2025');
 * article.figures.length; // 5
 */
export async function loadArticle(where: string | ArticleSource): Promise<Article> {
  const { article, diagnostics } = await readArticle(typeof where === 'string' ? await resolveArticle(where) : where);
  raiseErrors(diagnostics);
  return article;
}

/**
 * Reads an article and collects every problem in it instead of stopping at the first; only an unreadable
 * file throws. `build` refuses an article with errors; `check` lists them with its own findings.
 *
 * @example
 * const { diagnostics } = await readArticle(await resolveArticle('manuscript/changsha-manufacturing-2025'));
 */
export async function readArticle(where: ArticleSource): Promise<LoadedArticle> {
  const file = path.relative(process.cwd(), where.path) || path.basename(where.path);
  const source = await readFile(where.path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UserError(error.code === 'ENOENT' ? '文件不存在' : `无法读取稿件：${error.message}`, {
      file,
      hint: `给出一个 Markdown 文件，或含有 ${ARTICLE_FILE} 的文件夹。`,
    });
  });
  const diagnostics: Diagnostic[] = [];
  const split = splitArticle(source, file, diagnostics);
  const declared = split.yaml === undefined ? undefined : declaredTitle(split.yaml);
  const parsed = parseBody(split.body, { file, lineOffset: split.bodyOffset, offsetBase: split.bodyStart, declaredTitle: declared, diagnostics });
  const frontMatter = validateFrontMatter(split.yaml, parsed.headingTitle?.text, file, diagnostics);
  const dir = path.dirname(where.path);
  const figures = await Promise.all(parsed.figures.map((figure) => inspectImage(figure, dir, file, diagnostics)));
  const text = readTextBlocks({ source, bodyOffset: split.bodyOffset, yamlPresent: split.yaml !== undefined, tokens: parsed.tokens, headingTitle: parsed.headingTitle });
  const lead = text.find((block) => block.kind === 'paragraph')?.printedText ?? '';
  if (!text.some((block) => block.place === 'body') && !figures.length) {
    diagnostics.push({ file, line: split.bodyOffset + 1, code: 'empty-article', severity: 'error', message: '稿件没有正文', hint: '在标题下面写正文；空稿件无法排版。' });
  }
  diagnostics.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return {
    article: {
      slug: where.slug,
      dir,
      file,
      path: where.path,
      source,
      frontMatter,
      titleFromHeading: Boolean(parsed.headingTitle) && declared === undefined,
      description: frontMatter.description ?? (summarise(lead.trim()) || frontMatter.title),
      identifier: frontMatter.identifier ?? `urn:banmian:${where.slug}`,
      bodyOffset: split.bodyOffset,
      tokens: parsed.tokens,
      figures,
      sections: parsed.sections,
      text,
    },
    diagnostics,
  };
}

/** The front matter's title as written, read leniently: validation and its messages come later. */
function declaredTitle(yaml: string): string | undefined {
  const value: unknown = parseDocument(yaml).get('title');
  return typeof value === 'string' ? value : undefined;
}

/**
 * The articles a path names: a Markdown file; a folder holding article.md; a folder of such folders; or a
 * folder of Markdown files. Sorted, so builds are repeatable.
 */
export async function findArticles(paths: string[]): Promise<ArticleSource[]> {
  const found: ArticleSource[] = [];
  for (const given of paths) {
    const absolute = path.resolve(given);
    const info = await stat(absolute).catch(() => undefined);
    if (info?.isFile()) {
      if (!/\.(md|markdown)$/i.test(absolute)) {
        throw new UserError('这不是 Markdown 文件', { file: given, hint: '给出一个 .md 文件、含有 article.md 的文件夹，或放稿件文件夹的文件夹。' });
      }
      found.push(sourceOf(absolute));
      continue;
    }
    if (!info?.isDirectory()) {
      throw new UserError('没有这个文件或文件夹', { file: given, hint: '给出一个 Markdown 文件，或含有 article.md 的文件夹，如 manuscript/changsha-manufacturing-2025。' });
    }
    if (await isFile(path.join(absolute, ARTICLE_FILE))) {
      found.push(sourceOf(path.join(absolute, ARTICLE_FILE)));
      continue;
    }
    const entries = (await readdir(absolute, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    const before = found.length;
    for (const entry of entries) {
      if (entry.isDirectory() && (await isFile(path.join(absolute, entry.name, ARTICLE_FILE)))) found.push(sourceOf(path.join(absolute, entry.name, ARTICLE_FILE)));
    }
    if (found.length === before) {
      for (const entry of entries) if (entry.isFile() && /\.(md|markdown)$/i.test(entry.name)) found.push(sourceOf(path.join(absolute, entry.name)));
    }
    if (found.length === before) {
      throw new UserError(`这个文件夹里没有 ${ARTICLE_FILE}，也没有 Markdown 文件`, { file: given, hint: '给出一个稿件文件夹、放稿件文件夹的文件夹，或一个 Markdown 文件。' });
    }
  }
  const slugs = new Map<string, string>();
  for (const article of found) {
    const other = slugs.get(article.slug);
    if (other && other !== article.path) {
      throw new UserError(`两篇稿件都会写成 ${article.slug}.pdf`, { file: path.relative(process.cwd(), article.path), hint: `${path.relative(process.cwd(), other)} 与它同名；给其中一篇改名。` });
    }
    slugs.set(article.slug, article.path);
  }
  return found;
}

/** The one article a path names (preview takes one). */
export async function resolveArticle(given: string): Promise<ArticleSource> {
  const [first, second] = await findArticles([given]);
  if (second) throw new UserError('这个文件夹里有好几篇稿件；预览一次只看一篇', { file: given, hint: `给出其中一篇，如 ${path.relative(process.cwd(), path.dirname(first.path))}。` });
  return first;
}

/** The article a Markdown file makes: `article.md` takes its folder's name, any other file its stem. */
export function sourceOf(file: string): ArticleSource {
  const stem = path.basename(file).replace(/\.(md|markdown)$/i, '');
  return { path: file, slug: stem === 'article' ? path.basename(path.dirname(file)) : stem };
}

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isFile() ?? false;
}

/** The lead cut to a description of at most about 120 characters, ending on a full clause. */
function summarise(lead: string): string {
  if (lead.length <= 120) return lead;
  const cut = lead.slice(0, 120);
  const end = Math.max(cut.lastIndexOf('；'), cut.lastIndexOf('。'), cut.lastIndexOf('，'));
  return `${cut.slice(0, end > 40 ? end : 120)}……`;
}

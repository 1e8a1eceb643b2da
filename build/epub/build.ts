// The EPUB stage: the article as an EPUB 3 (epub-gen-memory with banmian's templates), made reproducible, in dist/<slug>.epub.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EPub, type Options } from 'epub-gen-memory';
import { renderBody } from '../document/body.ts';
import { renderArticleHeader } from '../document/html.ts';
import { log } from '../log.ts';
import type { Article, Figure } from '../model/load.ts';
import { sourceDate } from '../output/date.ts';
import { writeFileAtomic } from '../output/write.ts';
import type { PageMap } from '../print/page-map.ts';
import { drawCover, screenImage } from './images.ts';
import { epubLanguage } from './language.ts';
import { markPageBreaks, pageBreakId } from './page-list.ts';
import { repackEpub } from './package.ts';
import { CHAPTER_XHTML, CONTENT_OPF, TOC_NCX, TOC_XHTML, type TemplateData } from './templates.ts';

export interface BuildEpubOptions {
  article: Article;
  outDir: string;
  /**
   * Where each page of the printed edition starts (the PDF stage's page map): the page-list and page-break
   * markers. May still be coming: the photos and the cover are made meanwhile.
   */
  pageMap: PageMap | Promise<PageMap>;
  signal?: AbortSignal;
}

const STYLESHEET = path.resolve(import.meta.dirname, '../../styles/epub.css');
const ARTICLE_FILE = 'article.xhtml';
/** When neither SOURCE_DATE_EPOCH nor the manuscript gives a date: the earliest date a zip entry can carry. */
const FALLBACK_DATE = new Date('1980-01-01T00:00:00Z');

/**
 * Writes `<outDir>/<slug>.epub` and resolves to its path.
 *
 * epub-gen-memory reads images only from URLs, so the screen-sized images and the cover are
 * written to a temporary folder first and handed over as file: URLs; the folder is removed on
 * every path.
 *
 * @example
 * await buildEpub({ article, outDir: 'dist', pageMap: (await buildPdf({ article, … })).pageMap });
 */
export async function buildEpub({ article, outDir, pageMap: printed, signal }: BuildEpubOptions): Promise<string> {
  // Awaited with the photos below, but handled from here on: a failure of the PDF stage that comes first is no unhandled rejection.
  Promise.resolve(printed).catch(() => undefined);
  const date = buildDate(article);
  const work = await mkdtemp(path.join(tmpdir(), 'banmian-epub-'));
  try {
    // One image file per distinct source, named after the first figure showing it (epub-gen-memory also keeps one per URL).
    const images = new Map<string, { figure: Figure; name: string }>();
    for (const figure of article.figures) if (!images.has(figure.src)) images.set(figure.src, { figure, name: `${figure.id}.jpg` });
    const imageNames = [...images.values()].map((image) => image.name);
    const [css, pageMap] = await Promise.all([
      readFile(STYLESHEET, 'utf8'),
      printed,
      drawCover(article).then((data) => writeFile(path.join(work, 'cover.jpg'), data)),
      ...[...images.values()].map(({ figure, name }) => screenImage(figure).then((data) => writeFile(path.join(work, name), data))),
    ]);
    signal?.throwIfAborted();

    const { frontMatter } = article;
    const lang = epubLanguage(frontMatter.lang, article.source);
    const data: TemplateData = {
      identifier: article.identifier,
      modified: date.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      published: frontMatter.date,
      subjects: frontMatter.keywords ?? [],
      sections: article.sections,
      articleFile: ARTICLE_FILE,
      accessibilitySummary: accessibilitySummary(article),
      tocTitle: '目录',
      pages: pageMap.map(({ page }) => ({ label: String(page), id: pageBreakId(page) })),
      pageListTitle: '印刷版页码',
    };
    const options: Options & TemplateData = {
      ...data,
      title: frontMatter.title,
      author: frontMatter.byline ? [frontMatter.byline] : [],
      publisher: frontMatter.publication ?? '',
      description: article.description,
      lang,
      date: date.toISOString(),
      css,
      cover: pathToFileURL(path.join(work, 'cover.jpg')).href,
      contentOPF: CONTENT_OPF,
      tocXHTML: TOC_XHTML,
      tocNCX: TOC_NCX,
      chapterXHTML: CHAPTER_XHTML,
      prependChapterTitles: false,
      version: 3,
      // Its warnings (e.g. an attribute it drops) are worth seeing; its progress chatter is not.
      verbose: (type, ...args) => {
        if (type === 'warn') log.warn(`epub ${article.slug}: ${args.map(String).join(' ')}`);
      },
    };
    const imageUrl = (src: string) => pathToFileURL(path.join(work, images.get(src)!.name)).href;
    const chapter = { title: frontMatter.title, filename: ARTICLE_FILE, content: articleContent(article, pageMap, imageUrl) };
    const book = await new EPub(options, [chapter]).render();
    // Stored, not deflated: the zip is rebuilt by repackEpub, which compresses it once.
    const made = await book.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
    signal?.throwIfAborted();

    const epub = await repackEpub({ epub: made, imageNames, date });
    const target = path.join(outDir, `${article.slug}.epub`);
    await writeFileAtomic(target, epub);
    return target;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The article as one content document: the printed pages' markers, the headline block, then the body rendered for e-readers. */
function articleContent(article: Article, pageMap: PageMap, imageUrl: (src: string) => string): string {
  const { tokens, leading } = markPageBreaks(article.tokens, pageMap, article.bodyOffset);
  const body = renderBody({ ...article, tokens }, { target: 'epub', imageUrl: (figure) => imageUrl(figure.src) });
  return `<article class="article">\n${leading}${renderArticleHeader(article, 'epub')}\n<div class="article-body">\n${body}</div>\n</article>`;
}

/** The EPUB's date: the source date, else a fixed one; zip timestamps cannot go before 1980. */
function buildDate(article: Article): Date {
  return new Date(Math.max(sourceDate(article)?.getTime() ?? 0, FALLBACK_DATE.getTime()));
}

function accessibilitySummary(article: Article): string {
  const photos = article.figures.length;
  return (
    `正文为可重排文字，按阅读顺序排列，设有章节标题与目录。` +
    (photos ? `${photos}幅图片均有替代文字，并附图片说明与署名。` : '') +
    '无闪烁、声音或动态内容。'
  );
}

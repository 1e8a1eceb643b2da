// `banmian import`'s core: a plain Markdown file becomes an article folder (`<into>/<stem>/article.md` and
// `images/`), every remote image downloaded once and its path rewritten. Everything is staged in a hidden
// folder beside the destination and renamed into place at the end, so a failure leaves nothing behind.
import { copyFile, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { ARTICLE_FILE, sourceOf } from '../model/load.ts';
import { DownloadError, downloadImage, type DownloadLimits } from './download.ts';
import { imageFileName } from './names.ts';
import { readImportSource, type RemoteImage } from './source.ts';
import { rewriteArticle } from './rewrite.ts';

export const IMAGES_DIR = 'images';
/** Downloads running at once: enough to hide latency, few enough not to look like a flood to a server. */
const PARALLEL = 4;

export interface ImportOptions extends DownloadLimits {
  /** The Markdown file to import. */
  file: string;
  /** The folder that receives the article folder (e.g. `manuscript`). */
  into: string;
  /** Called as each distinct image finishes, for a progress display. */
  onProgress?: (done: number, total: number, url: string) => void;
}

export interface ImportResult {
  /** The new article folder, and its Markdown file. */
  dir: string;
  file: string;
  /** Distinct images downloaded, and their total size. */
  images: number;
  bytes: number;
}

/**
 * Imports one Markdown file as an article folder.
 *
 * @example
 * const { dir } = await importArticle({ file: 'weekly.md', into: 'manuscript', timeoutMs: 30_000, maxBytes: 50e6 });
 * // dir === 'manuscript/weekly', holding article.md (front matter from its # heading) and images/
 */
export async function importArticle(options: ImportOptions): Promise<ImportResult> {
  const file = path.relative(process.cwd(), path.resolve(options.file)) || options.file;
  const source = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UserError(error.code === 'ENOENT' ? 'the file does not exist' : `cannot read the file: ${error.message}`, {
      file, hint: 'Give the path of a Markdown file, e.g. banmian import weekly.md.',
    });
  });
  const parts = readImportSource(source, file);
  if (!parts.hasFrontMatter && !parts.title) {
    throw new UserError('the file has no title', {
      file, line: 1, hint: 'Start it with a level-1 heading (`# 标题`, with a space after #), or with front matter holding `title: …`.',
    });
  }
  const dir = path.join(options.into, sourceOf(path.resolve(file)).slug);
  if (await stat(dir).catch(() => undefined)) {
    throw new UserError('the article folder already exists', { file: dir, hint: 'Move or delete it first, or import into another folder with --into.' });
  }
  // The first folder this import had to create, removed again if the import fails.
  const created = await mkdir(options.into, { recursive: true });
  const staging = await mkdtemp(path.join(options.into, `.${path.basename(dir)}.import-`));
  let done = false;
  try {
    await copyLocalImages(parts.localImages, path.dirname(path.resolve(file)), staging);
    const downloaded = await downloadAll(parts.images, path.join(staging, IMAGES_DIR), file, options);
    await writeFile(path.join(staging, ARTICLE_FILE), rewriteArticle(source, parts, downloaded.paths));
    await rename(staging, dir).catch((error: NodeJS.ErrnoException) => {
      throw new UserError(`cannot create the article folder (${error.code ?? error.message})`, { file: dir, hint: 'Check that nothing else is writing there, then import again.' });
    });
    done = true;
    return { dir, file: path.join(dir, ARTICLE_FILE), images: downloaded.paths.size, bytes: downloaded.bytes };
  } finally {
    await rm(done || !created ? staging : created, { recursive: true, force: true });
  }
}

/** The photos beside the Markdown file go along, at the same relative paths, so they still resolve. */
async function copyLocalImages(sources: string[], fromDir: string, toDir: string): Promise<void> {
  for (const src of sources) {
    const from = path.resolve(fromDir, src);
    // A missing file, or one outside the file's folder, is left for `check` and `build` to report at its line.
    if (!from.startsWith(fromDir + path.sep) || !(await stat(from).catch(() => undefined))?.isFile()) continue;
    const to = path.join(toDir, path.relative(fromDir, from));
    await mkdir(path.dirname(to), { recursive: true });
    await copyFile(from, to);
  }
}

/** Downloads each distinct URL once; every failure is collected, and reported together with its place. */
async function downloadAll(images: RemoteImage[], imagesDir: string, file: string, options: ImportOptions) {
  const firstUse = new Map<string, RemoteImage>();
  for (const image of images) if (!firstUse.has(image.url)) firstUse.set(image.url, image);
  const queue = [...firstUse.values()];
  const paths = new Map<string, string>();
  const failures: { image: RemoteImage; error: DownloadError }[] = [];
  let bytes = 0;
  let done = 0;
  if (queue.length) await mkdir(imagesDir, { recursive: true });
  const worker = async () => {
    for (let image = queue.shift(); image; image = queue.shift()) {
      try {
        const downloaded = await downloadImage(image.url, options);
        const name = imageFileName(image.url, downloaded.format);
        await writeFile(path.join(imagesDir, name), downloaded.bytes);
        paths.set(image.url, `${IMAGES_DIR}/${name}`);
        bytes += downloaded.bytes.length;
      } catch (error) {
        if (!(error instanceof DownloadError)) throw error;
        failures.push({ image, error });
      }
      options.onProgress?.(++done, firstUse.size, image.url);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, worker));
  if (failures.length) {
    failures.sort((a, b) => a.image.start - b.image.start);
    const [first] = failures;
    const list = failures.map(({ image, error }) => `${file}:${image.line}: ${image.url}: ${error.message}`);
    throw new UserError(
      failures.length === 1 ? `cannot import ${first.image.url}: ${first.error.message}` : `${failures.length} images could not be imported:\n  ${list.join('\n  ')}`,
      { file, line: first.image.line, code: 'import-download', hint: `Nothing was written. Fix or remove ${failures.length === 1 ? 'that image' : 'those images'} in ${file}, then import again.` },
    );
  }
  return { paths, bytes };
}

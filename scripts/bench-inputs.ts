// Inputs for the benchmark: long articles made by repeating the default article's body.
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { splitArticle } from '../build/model/front-matter.ts';
import { ARTICLE_FILE } from '../build/model/load.ts';

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
  const { body } = splitArticle(source, ARTICLE_FILE, []);
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

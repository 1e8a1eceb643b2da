// Temporary article folders for tests: a copy of the default article, or a small one written on the spot;
// removed after the test file that made them (each run left some forty folders in the system's temp folder).
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { DEFAULT_ARTICLE } from './text.ts';

/** The temporary folders made for this test file. */
const made: string[] = [];

afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test file. */
function temporary(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A copy of the default article in a fresh temporary folder; resolves to the article folder. */
export function copyDefaultArticle(slug = 'changsha-manufacturing-2025'): string {
  const dir = path.join(temporary('banmian-article-'), slug);
  cpSync(DEFAULT_ARTICLE, dir, { recursive: true });
  return dir;
}

/** A small article with the given front matter and body, and any extra files (path → contents). */
export function writeArticle(frontMatter: string, body: string, files: Record<string, string | Buffer> = {}): string {
  const dir = path.join(temporary('banmian-article-'), 'sample');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'article.md'), `---\n${frontMatter}\n---\n\n${body}`);
  for (const [name, contents] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), contents);
  }
  return dir;
}

/** A Markdown file written as given (front matter or not) in a fresh folder, with any extra files; resolves to the file. */
export function writeMarkdown(name: string, markdown: string, files: Record<string, string | Buffer> = {}): string {
  const dir = temporary('banmian-md-');
  writeFileSync(path.join(dir, name), markdown);
  for (const [file, contents] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), contents);
  }
  return path.join(dir, name);
}

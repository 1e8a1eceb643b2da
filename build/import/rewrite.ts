// Turns the imported Markdown into an article's: the title heading becomes front matter (and leaves the
// body), and each downloaded image's URL becomes its path under `images/`. Only those characters change.
import { stringify } from 'yaml';
import type { ImportSource } from './source.ts';

/**
 * The article text, given where each image URL now points.
 *
 * @example
 * rewriteArticle('# 标题\n\n![](https://example.org/a.jpg)\n', readImportSource(…), new Map([['https://example.org/a.jpg', 'images/a-1d5c0b7e.jpg']]));
 * // '---\ntitle: 标题\n---\n\n![](images/a-1d5c0b7e.jpg)\n'
 */
export function rewriteArticle(source: string, parts: ImportSource, localPaths: ReadonlyMap<string, string>): string {
  const edits = parts.images.map((image) => ({ start: image.start, end: image.end, text: localPaths.get(image.url) ?? image.url }));
  if (parts.title) {
    // The heading's lines go, with the blank line after them, so the body starts where the text does.
    const blank = /^[ \t]*\r?\n/.exec(source.slice(parts.title.end));
    edits.push({ start: parts.title.start, end: parts.title.end + (blank?.[0].length ?? 0), text: '' });
  }
  let text = source;
  for (const edit of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  // Front matter must open the file: a byte-order mark before it goes (UTF-8 needs none).
  return parts.title ? `---\n${stringify({ title: parts.title.text })}---\n\n${text.replace(/^\uFEFF/, '')}` : text;
}

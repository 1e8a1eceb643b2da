// Text comparison helpers: the source's sentences, and normalisation of punctuation width and white space.
import { readFileSync } from 'node:fs';

export const DEFAULT_ARTICLE = 'manuscript/changsha-manufacturing-2025';
export const SOURCE_FILE = `${DEFAULT_ARTICLE}/source.txt`;

/** NFKC folds full-width punctuation to its half-width form; white space goes entirely. */
export function normalise(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '');
}

/** Every sentence of the source text, Markdown heading marks removed, normalised. */
export function sourceSentences(file = SOURCE_FILE): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.replace(/^#+\s*/, '').trim())
    .filter(Boolean)
    .flatMap((line) => line.split(/(?<=[。！？])/))
    .map(normalise)
    .filter(Boolean);
}

/** Sentences missing from `text` (both sides normalised). */
export function missingSentences(text: string, sentences = sourceSentences()): string[] {
  const haystack = normalise(text);
  return sentences.filter((sentence) => !haystack.includes(sentence));
}

/** Visible text of an HTML fragment. */
export function htmlText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;|&apos;/g, "'").replace(/&amp;/g, '&');
}

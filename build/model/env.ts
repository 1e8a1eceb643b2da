// What parsing one article collects beside the token stream: its place in the file, figures, sections, diagnostics.
import type { Diagnostic } from './diagnostics.ts';

/** A photo with its caption, credit and alt text, each kept as its own datum. */
export type FigureData = {
  /** The image path as written in the Markdown (percent-decoded, `<…>` removed). */
  src: string;
  alt: string;
  caption: string;
  credit: string;
  /** Number of newspaper columns the photo spans on the broadsheet grid. */
  cols: number;
  /** 1-based line of the image in the article file. */
  line: number;
  /** File offset of the image path, for findings that point at it, and its column on the line. */
  srcOffset: number;
  srcColumn: number;
  id: string;
};

export type SectionData = {
  /** ASCII (`sec-1`): e-readers and converters (calibre's AZW3 round trip) mangle other ids. */
  id: string;
  title: string;
  line: number;
};

/** markdown-it's `env` for one article: where its body stands in the file, and what the rules collect. */
export type ParseEnv = {
  /** The article file, as the user would name it. */
  file: string;
  /** Lines before the Markdown body (the front matter), added to every reported line. */
  lineOffset: number;
  /** Characters before the Markdown body, added to every offset. */
  offsetBase: number;
  /** The body's line start offsets (relative to the body). */
  lineStarts: number[];
  figures: FigureData[];
  sections: SectionData[];
  diagnostics: Diagnostic[];
  /** markdown-it-footnote's own bookkeeping. */
  footnotes?: { refs?: Record<string, number>; list?: { label?: string; count: number; content?: string }[] };
};

/** The file line of a token's first source line. */
export function fileLine(env: ParseEnv, map: [number, number] | null | undefined): number {
  return map ? map[0] + 1 + env.lineOffset : env.lineOffset + 1;
}

/** Records an error (or warning) at a file line; parsing goes on, so every problem is reported at once. */
export function report(env: ParseEnv, diagnostic: Omit<Diagnostic, 'file' | 'severity'> & { severity?: Diagnostic['severity'] }): void {
  env.diagnostics.push({ file: env.file, severity: 'error', ...diagnostic });
}

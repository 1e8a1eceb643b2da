// What the Markdown stage collects while it renders one article body.

/** A photo with its caption, credit and alt text, each kept as its own datum. */
export type FigureData = {
  /** Path relative to the article folder, as written in the Markdown. */
  src: string;
  alt: string;
  caption: string;
  credit: string;
  /** Number of newspaper columns the photo spans in print. */
  cols: number;
  /** 1-based line of the image in the article file. */
  line: number;
  id: string;
};

export type SectionData = {
  id: string;
  title: string;
  line: number;
};

/** markdown-it's `env`: the input's place in its file, and what the rules collect. */
export type RenderEnv = {
  /** The article file, for error messages. */
  file: string;
  /** Lines before the Markdown body (the front matter), added to every reported line. */
  lineOffset: number;
  figures: FigureData[];
  sections: SectionData[];
};

/** The file line of a token's first source line. */
export function fileLine(env: RenderEnv, map: [number, number] | null): number | undefined {
  return map ? map[0] + 1 + env.lineOffset : undefined;
}

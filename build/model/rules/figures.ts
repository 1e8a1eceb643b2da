// Turns photo paragraphs into figure tokens: an image line, then its caption line and credit line, each kept
// as its own datum. Several photos may follow each other in one paragraph (a line each, with or without
// caption and credit). An image anywhere else (inside a sentence, a link) is reported: it cannot be placed.
//
//   ![挖掘机在厂区整齐列阵](images/01-excavators.jpg){cols=4}
//   中联重科挖机阵列，助力“长沙智造”腾飞。
//   长沙晚报全媒体记者 邹麟 摄
import type { MarkdownIt, Token } from 'markdown-it';
import { fileLine, report, type FigureData, type ParseEnv } from '../env.ts';
import { offsetOf } from './offsets.ts';

const PLACEMENT = /^\s*\{cols=(\d+)\}\s*$/;
/** Columns a photo spans when the Markdown does not say. */
export const DEFAULT_FIGURE_COLS = 3;

/** A figure token's `meta`: its data, and the inline tokens of its caption and credit lines. */
export interface FigureMeta {
  figure: FigureData;
  caption: Token[];
  credit: Token[];
}

export function figures(md: MarkdownIt): void {
  md.core.ruler.after('banmian_offsets', 'banmian_figures', (state) => {
    const env = state.env as unknown as ParseEnv;
    const out: Token[] = [];
    for (let i = 0; i < state.tokens.length; i++) {
      const [open, inline, close] = state.tokens.slice(i, i + 3);
      const lines = open.type === 'paragraph_open' && inline?.type === 'inline' ? splitLines(inline.children ?? []) : [];
      if (!lines.length || !isImageLine(lines[0])) {
        out.push(open);
        continue;
      }
      out.push(...readFigures(lines, inline, env, state.Token, open.level));
      i += 2;
      void close;
    }
    state.tokens = out;
    // Every image left is inside text, a list item's sentence, a link or a table cell.
    for (const token of state.tokens) {
      for (const child of token.children ?? []) {
        if (child.type === 'image') {
          report(env, {
            line: fileLine(env, token.map),
            code: 'image-placement',
            message: `图片 ${String(child.attrGet('src'))} 夹在文字里，无法作为照片排入版面`,
            hint: '把图片单独放一行，前面空一行；图片说明和署名写在下面两行。',
          });
        }
      }
    }
  });
}

function splitLines(children: Token[]): Token[][] {
  const lines: Token[][] = [[]];
  for (const child of children) {
    if (child.type === 'softbreak' || child.type === 'hardbreak') lines.push([]);
    else lines.at(-1)!.push(child);
  }
  return lines;
}

/** An image alone on its line, optionally followed by `{cols=N}`. */
function isImageLine(line: Token[]): boolean {
  const meaningful = line.filter((token) => !(token.type === 'text' && !token.content.trim()));
  return meaningful[0]?.type === 'image' && meaningful.slice(1).every((token) => token.type === 'text');
}

function readFigures(lines: Token[][], inline: Token, env: ParseEnv, TokenClass: typeof Token, level: number): Token[] {
  const made: Token[] = [];
  const firstLine = fileLine(env, inline.map);
  for (let k = 0; k < lines.length; k++) {
    const line = firstLine + k;
    if (!isImageLine(lines[k])) {
      report(env, {
        line,
        code: 'figure-syntax',
        message: '照片段落只有三行：图片行、说明行、署名行，不能再有别的',
        hint: '写 `![替代文字](images/photo.jpg){cols=3}`，下一行写说明，再下一行写署名；正文接着写之前空一行。',
      });
      continue;
    }
    const [image, ...rest] = lines[k].filter((token) => !(token.type === 'text' && !token.content.trim()));
    const placement = rest.map((token) => token.content).join('');
    const match = PLACEMENT.exec(placement);
    if (placement.trim() && !match) {
      report(env, {
        line,
        code: 'figure-syntax',
        message: `图片后面的 "${placement.trim()}" 不是栏数写法`,
        hint: '紧跟在图片后面写照片所占栏数，如 `{cols=4}`；不写也可以。',
      });
    }
    const captionLine = lines[k + 1] && !isImageLine(lines[k + 1]) ? lines[++k] : [];
    const creditLine = lines[k + 1] && !isImageLine(lines[k + 1]) ? lines[++k] : [];
    const srcOffset = (offsetOf(image) ?? 0) + 2 + image.content.length + 2;
    const figure: FigureData = {
      src: decodePath(String(image.attrGet('src') ?? '')),
      alt: image.content.trim(),
      caption: plainText(captionLine),
      credit: plainText(creditLine),
      cols: match ? Number(match[1]) : DEFAULT_FIGURE_COLS,
      line,
      srcOffset,
      srcColumn: srcOffset - env.offsetBase - (env.lineStarts[line - 1 - env.lineOffset] ?? 0) + 1,
      id: `fig-${env.figures.length + 1}`,
    };
    env.figures.push(figure);
    const token = new TokenClass('figure', 'figure', 0);
    token.block = true;
    token.level = level;
    token.map = [line - 1 - env.lineOffset, line - env.lineOffset];
    token.meta = { figure, caption: captionLine, credit: creditLine } satisfies FigureMeta;
    made.push(token);
  }
  return made;
}

/** The text of a caption or credit line as it prints (markup aside). */
export function plainText(tokens: Token[]): string {
  return tokens.map((token) => (token.type === 'text' || token.type === 'text_special' || token.type === 'code_inline' ? token.content : '')).join('').trim();
}

/**
 * markdown-it percent-encodes link and image destinations (`中` → `%E4%B8%AD`, a space in `<…>` → `%20`):
 * the file has the decoded name, and a printed address reads decoded. Malformed escapes stay as written.
 */
export function decodePath(src: string): string {
  try {
    return decodeURI(src);
  } catch {
    return src;
  }
}

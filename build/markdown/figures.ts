// Turns a photo paragraph — image line, caption line, credit line — into a <figure> with its data kept apart.
//
//   ![挖掘机在厂区整齐列阵](images/01-excavators.jpg){cols=4}
//   中联重科挖机阵列，助力“长沙智造”腾飞。
//   长沙晚报全媒体记者 邹麟 摄
import type { MarkdownIt } from 'markdown-it';
import type { Token } from 'markdown-it';
import { UserError } from '../errors.ts';
import { fileLine, type FigureData, type RenderEnv } from './env.ts';

const PLACEMENT = /^\{cols=(\d+)\}$/;
/** Columns a photo spans when the Markdown does not say. */
export const DEFAULT_FIGURE_COLS = 3;

export function figures(md: MarkdownIt): void {
  md.core.ruler.after('inline', 'banmian_figures', (state) => {
    const env = state.env as RenderEnv;
    const tokens = state.tokens;
    for (let i = 0; i + 2 < tokens.length; i++) {
      const inline = tokens[i + 1];
      if (tokens[i].type !== 'paragraph_open' || inline.type !== 'inline' || inline.children?.[0]?.type !== 'image') continue;
      const figure = new state.Token('figure', 'figure', 0);
      figure.block = true;
      figure.map = tokens[i].map;
      figure.meta = readFigure(inline, env);
      tokens.splice(i, 3, figure);
    }
  });

  md.renderer.rules.figure = (tokens, index) => {
    const figure = tokens[index].meta as FigureData;
    const escape = md.utils.escapeHtml;
    return (
      `<figure class="figure" id="${figure.id}" data-cols="${figure.cols}" data-source-line="${figure.line}">` +
      `<img src="${escape(figure.src)}" alt="${escape(figure.alt)}">` +
      `<figcaption><span class="caption">${escape(figure.caption)}</span>` +
      (figure.credit ? `<span class="credit">${escape(figure.credit)}</span>` : '') +
      `</figcaption></figure>\n`
    );
  };
}

function readFigure(inline: Token, env: RenderEnv): FigureData {
  const line = fileLine(env, inline.map) ?? 0;
  const [imageLine, caption = '', credit = '', ...extra] = inline.content.split('\n').map((text) => text.trim());
  const image = inline.children![0];
  const placement = imageLine.slice(imageLine.lastIndexOf(')') + 1).trim();
  const match = PLACEMENT.exec(placement);
  if ((placement && !match) || extra.length) {
    throw new UserError('a photo paragraph is an image line, a caption line and a credit line, nothing more', {
      file: env.file,
      line,
      hint: 'Write `![alt text](images/photo.jpg){cols=3}`, then the caption on the next line, then the credit; leave a blank line before the text goes on.',
    });
  }
  const cols = match ? Number(match[1]) : DEFAULT_FIGURE_COLS;
  const figure: FigureData = {
    src: String(image.attrGet('src') ?? ''),
    alt: image.content.trim(),
    caption,
    credit,
    cols,
    line,
    id: `fig-${env.figures.length + 1}`,
  };
  env.figures.push(figure);
  return figure;
}

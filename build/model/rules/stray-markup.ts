// Markdown that did not parse as the writer meant and would print as source: an image whose path holds a
// raw space (`![](images/01 photo.jpg)` is text in CommonMark).
import type { MarkdownIt } from 'markdown-it';
import { fileLine, report, type ParseEnv } from '../env.ts';

const UNPARSED_IMAGE = /!\[[^\]]*\]\(([^)]*\s[^)]*)\)/;

export function strayMarkup(md: MarkdownIt): void {
  md.core.ruler.push('banmian_stray_markup', (state) => {
    const env = state.env as unknown as ParseEnv;
    for (const block of state.tokens) {
      if (block.type !== 'inline') continue;
      const match = UNPARSED_IMAGE.exec(block.content);
      if (!match) continue;
      const path = match[1].trim().replace(/\s+"[^"]*"$/, '');
      report(env, {
        line: fileLine(env, block.map),
        code: 'image-unreadable',
        message: `这张图片没有被识别，会作为文字印出来：路径 "${path}" 里有空格`,
        hint: `把路径写进尖括号 ![…](<${path}>)，或把每个空格写成 %20，或给文件改名。`,
      });
    }
  });
}

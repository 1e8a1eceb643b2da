// Raw HTML never passes through: comments (editor notes, check directives) are dropped, anything else is reported.
import type { MarkdownIt } from 'markdown-it';
import { fileLine, report, type ParseEnv } from '../env.ts';

const COMMENT = /^\s*<!--[\s\S]*?-->\s*$/;

export function rawHtml(md: MarkdownIt): void {
  md.core.ruler.push('banmian_raw_html', (state) => {
    const env = state.env as unknown as ParseEnv;
    for (const block of state.tokens) {
      const pieces = block.type === 'inline' ? (block.children ?? []) : [block];
      for (const token of pieces) {
        if (token.type !== 'html_block' && token.type !== 'html_inline') continue;
        if (COMMENT.test(token.content) || /^<!--|-->$/.test(token.content.trim())) continue;
        const tag = token.content.trim().split('\n')[0].slice(0, 60);
        const dangerous = /<script|\son[a-z]+\s*=/i.test(token.content);
        report(env, {
          line: fileLine(env, block.map),
          code: 'raw-html',
          message: `稿件里不能用 HTML：${tag}`,
          hint: dangerous
            ? '版面不会执行脚本和事件代码；删掉这段标记。'
            : '改用 Markdown 写（空一行分段，** 加粗，竖线表格）；给编辑的备注可以用 HTML 注释。',
        });
      }
    }
  });
}

// GFM task list items (`- [ ] 待办`, `- [x] 已办`): the box leaves the text and becomes the item's state.
import type { MarkdownIt } from 'markdown-it';

const BOX = /^\[([ xX])\][ \t]+/;

export function tasks(md: MarkdownIt): void {
  md.core.ruler.after('inline', 'banmian_tasks', (state) => {
    state.tokens.forEach((token, index) => {
      if (token.type !== 'list_item_open') return;
      const inline = state.tokens.slice(index + 1, index + 3).find((candidate) => candidate.type === 'inline');
      const first = inline?.children?.[0];
      const box = first?.type === 'text' ? BOX.exec(first.content) : null;
      if (!inline || !first || !box) return;
      token.meta = { ...(token.meta ?? {}), task: box[1] !== ' ' };
      first.content = first.content.slice(box[0].length);
      inline.content = inline.content.slice(inline.content.indexOf(box[0]) + box[0].length);
    });
  });
}

// Keeps ——, ……, · and ～ off line starts (clreq): each is glued to the character before it, since
// Chromium's line breaking allows a break before them.
import type { MarkdownIt } from 'markdown-it';

const GLUED = /([^\s<>&])(——|……|·|～)/gu;

export function glue(md: MarkdownIt): void {
  const text = md.renderer.rules.text!;
  md.renderer.rules.text = (tokens, index, options, env, self) =>
    text(tokens, index, options, env, self).replace(GLUED, '<span class="glue">$1$2</span>');
}

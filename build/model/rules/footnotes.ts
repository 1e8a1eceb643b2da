// Footnotes (markdown-it-footnote) that no text refers to would be dropped by the plugin: they are kept,
// printed after the others, and reported, since an orphan note usually means a mistyped reference.
import type { MarkdownIt } from 'markdown-it';
import { fileLine, report, type ParseEnv } from '../env.ts';

export function keepUnreferencedNotes(md: MarkdownIt): void {
  md.core.ruler.before('footnote_tail', 'banmian_unreferenced_notes', (state) => {
    const env = state.env as unknown as ParseEnv;
    state.tokens.forEach((token, index) => {
      if (token.type !== 'footnote_reference_open') return;
      const label = String((token.meta as { label: string }).label);
      const refs = (env.footnotes ??= {}).refs ??= {};
      if ((refs[`:${label}`] ?? -1) >= 0) return;
      const list = (env.footnotes.list ??= []);
      refs[`:${label}`] = list.length;
      list.push({ label, count: 0 });
      report(env, {
        severity: 'warning',
        // The definition's own token has no line; its first paragraph has.
        line: fileLine(env, state.tokens.slice(index).find((inner) => inner.map)?.map),
        code: 'footnote-unreferenced',
        message: `脚注 [^${label}] 在正文里没有被引用；它会排在其他注释之后`,
        hint: `在正文里用 [^${label}] 引用它，或删掉它。`,
      });
    });
  });
}

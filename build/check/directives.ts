// Check directives: HTML comments that switch rules off for one line or the next block, read from the model's
// comment tokens (`<!-- banmian-disable-next-line truncated-paragraph（编辑注：…） -->`).
import type { Token } from 'markdown-it';
import type { Article } from '../model/load.ts';
import { lineStartsOf, positionAt } from '../model/lines.ts';

export interface Directive {
  /** The file lines whose findings the directive silences. */
  lines: Set<number>;
  /** Rule ids as written; empty means every rule. */
  rules: string[];
  /** Where the comment stands, for reporting an unknown rule id. */
  line: number;
  column: number;
}

const DIRECTIVE = /<!--\s*banmian-disable-(next-line|line)\b([\s\S]*?)-->/g;

export function readDirectives(article: Article): Directive[] {
  const lineStarts = lineStartsOf(article.source);
  const comments = article.tokens.flatMap((token) => (token.type === 'inline' ? (token.children ?? []).map((child) => ({ child, block: token })) : [{ child: token, block: token }]))
    .filter(({ child }) => child.type === 'html_block' || child.type === 'html_inline');
  const directives: Directive[] = [];
  for (const { child, block } of comments) {
    if (!block.map) continue;
    const firstLine = block.map[0] + 1 + article.bodyOffset;
    for (const match of child.content.matchAll(DIRECTIVE)) {
      const before = child.content.slice(0, match.index);
      const line = firstLine + (before.match(/\n/g)?.length ?? 0);
      const column = positionAt(lineStarts, lineStarts[line - 1] + Math.max(0, article.source.slice(lineStarts[line - 1]).indexOf('<!--'))).column;
      // Ids come first; a note may follow them (truncated-paragraph（编辑注：…）), so reading stops at anything else.
      const rules = /^[\s,]*((?:[a-z][a-z0-9-]*[\s,]*)*)/.exec(match[2])![1].split(/[\s,]+/).filter(Boolean);
      const endLine = line + (match[0].match(/\n/g)?.length ?? 0);
      directives.push({ lines: match[1] === 'line' ? new Set([line, endLine]) : nextBlockLines(article, endLine + 1), rules, line, column });
    }
  }
  return directives;
}

/** The lines of the block that starts on `line`, or that line alone. */
function nextBlockLines(article: Article, line: number): Set<number> {
  const lines = new Set([line]);
  const block: Token | undefined = article.tokens.find((token) => token.map && token.map[0] + 1 + article.bodyOffset === line && token.nesting !== -1);
  if (block?.map) for (let at = block.map[0]; at < block.map[1]; at++) lines.add(at + 1 + article.bodyOffset);
  return lines;
}

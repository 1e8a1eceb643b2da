// Bad front matter through the CLI: exit code 1 and a message naming the file, the line and the field.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeArticle } from './helpers/article.ts';
import { runCli } from './helpers/cli.ts';

const cases: { name: string; frontMatter: string; line: number; mentions: RegExp }[] = [
  { name: 'missing title', frontMatter: 'kicker: 引题\nbyline: 记者 某某', line: 2, mentions: /缺少字段 "title"/ },
  { name: 'empty title', frontMatter: 'kicker: 引题\ntitle: ""', line: 3, mentions: /字段 "title" 不能为空/ },
  { name: 'YAML syntax error', frontMatter: 'title: 标题\nkicker: [未闭合\nbyline: 某某', line: 4, mentions: /不是有效的 YAML/ },
  { name: 'wrong type for pages', frontMatter: 'title: 标题\npages: 两版', line: 3, mentions: /字段 "pages" 应为数字/ },
  { name: 'malformed date', frontMatter: 'title: 标题\ndate: 2025年12月', line: 3, mentions: /字段 "date" 应为 ISO 日期/ },
  { name: 'unknown field', frontMatter: 'title: 标题\nauthor: 某某', line: 3, mentions: /未知字段 "author"/ },
  { name: 'malformed page number', frontMatter: 'title: 标题\npage: 第四版', line: 3, mentions: /字段 "page" 应为版次/ },
];

describe('invalid front matter', () => {
  it.each(cases)('$name: exits 1 naming file, line and field', ({ frontMatter, line, mentions }) => {
    const dir = writeArticle(frontMatter, '正文。\n');
    const result = runCli(['build', dir, '--format', 'html', '--out', path.join(dir, 'dist')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${path.relative(process.cwd(), path.join(dir, 'article.md'))}:${line}:`);
    expect(result.stderr).toMatch(mentions);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('an article with neither front matter nor a `# ` heading says how to give it a title', () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'banmian-fm-')), 'no-fm');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'article.md'), '正文。\n');
    const result = runCli(['build', dir, '--format', 'html']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/article\.md:1: 稿件没有标题：既没有前置信息，也没有 `# ` 标题行/);
  });
});

// Input as people have it, through the CLI: a plain Markdown file without front matter builds, named after its
// stem, its `# ` heading printed once as the headline; and every problem of a manuscript is reported at once,
// the same by `build` and by `check`.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { writeMarkdown } from './helpers/article.ts';
import { pdfPageTexts } from './helpers/poppler.ts';

describe('a plain Markdown file', () => {
  it('builds as dist/<stem>.pdf with its first # heading as the headline, printed once', () => {
    const file = writeMarkdown('weekly.md', '# 制造业周刊第一期\n\n本期导语：长沙制造业稳步增长。\n\n## 要闻\n\n第一条要闻正文。\n');
    const out = mkdtempSync(path.join(tmpdir(), 'banmian-weekly-'));
    const result = runCli(['build', file, '--format', 'pdf', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(path.join(out, 'weekly.pdf'))).toBe(true);
    const text = pdfPageTexts(path.join(out, 'weekly.pdf')).join('').replace(/\s+/g, '');
    expect(text.match(/制造业周刊第一期/g)).toHaveLength(1);
    expect(text).toContain('第一条要闻正文。');
  });

  it('without front matter or heading, is refused naming the file', () => {
    const file = writeMarkdown('notes.md', '只有一段文字。\n');
    const result = runCli(['build', file, '--format', 'html', '--out', path.dirname(file)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${path.relative(process.cwd(), file)}:1: 稿件没有标题`);
  });
});

describe('every problem at once', () => {
  const photos = Array.from({ length: 45 }, (_, index) => `![远程照片${index + 1}](https://img.example.com/photo-${index + 1}.jpg)`);
  const markdown = `# 远程图片很多的周刊\n\n导语。\n\n${photos.join('\n\n')}\n\n<div>原始 HTML</div>\n`;
  const remoteLines = photos.map((_, index) => 5 + index * 2);

  it('build names all 45 remote photos and the raw HTML, each at its line, and writes nothing', () => {
    const file = writeMarkdown('remote.md', markdown);
    const out = mkdtempSync(path.join(tmpdir(), 'banmian-remote-'));
    const result = runCli(['build', file, '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('稿件有 46 处问题');
    for (const line of remoteLines) expect(result.stderr).toContain(`remote.md:${line}: 图片 https://img.example.com/photo-`);
    expect(result.stderr).toMatch(/remote\.md:95: 稿件里不能用 HTML/);
    expect(result.stderr).toContain('banmian import');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(path.join(out, 'remote.pdf'))).toBe(false);
  });

  it('check reports the same photos at the same lines', () => {
    const file = writeMarkdown('remote.md', markdown);
    const result = runCli(['check', file, '--json']);
    expect(result.code).toBe(1);
    const findings = JSON.parse(result.stdout) as { line: number; rule: string }[];
    expect(findings.filter((finding) => finding.rule === 'image-remote').map((finding) => finding.line)).toEqual(remoteLines);
    expect(findings.filter((finding) => finding.rule === 'raw-html').map((finding) => finding.line)).toEqual([95]);
  });
});

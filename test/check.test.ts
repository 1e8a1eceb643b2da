// `banmian check` on fixture articles with known faults, on clean ones, and on the default article and its half-width original.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkArticle } from '../build/check/check.ts';
import type { Finding } from '../build/check/types.ts';
import { runCli } from './helpers/cli.ts';
import { DEFAULT_ARTICLE } from './helpers/text.ts';

const FIXTURES = 'test/fixtures/check';
const check = (dir: string) => checkArticle({ dir, preset: 'broadsheet' });
const places = (findings: Finding[]) => findings.map(({ line, column, rule, severity }) => [line, column, rule, severity]);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'banmian-check-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('fixture articles', () => {
  it('reports every text fault at its line and column, and nothing a directive silences', async () => {
    const { findings } = await check(`${FIXTURES}/text-faults`);
    expect(places(findings)).toEqual([
      [2, 15, 'halfwidth-punctuation', 'error'],
      [8, 12, 'halfwidth-punctuation', 'error'],
      [10, 3, 'bracket-pairs', 'error'],
      [12, 9, 'bracket-pairs', 'error'],
      [14, 7, 'ellipsis-form', 'error'],
      [16, 5, 'ellipsis-form', 'error'],
      [18, 3, 'dash-form', 'warning'],
      [20, 5, 'doubled-punctuation', 'error'],
      [22, 5, 'han-space', 'warning'],
      [24, 3, 'han-latin-space', 'warning'],
      [24, 7, 'han-latin-space', 'warning'],
      [26, 9, 'truncated-paragraph', 'error'],
      [33, 3, 'halfwidth-punctuation', 'error'],
      [33, 7, 'halfwidth-punctuation', 'error'],
      [33, 10, 'halfwidth-punctuation', 'error'],
      [33, 13, 'halfwidth-punctuation', 'error'],
      [33, 16, 'halfwidth-punctuation', 'error'],
      [33, 19, 'halfwidth-punctuation', 'error'],
      [35, 5, 'han-space', 'warning'],
      [37, 6, 'ellipsis-form', 'error'],
      [39, 8, 'dash-form', 'warning'],
      [41, 1, 'unknown-rule', 'warning'],
      [44, 4, 'font-fallback', 'error'],
      [44, 9, 'font-fallback', 'error'],
    ]);
    // Each finding's place holds the fault it names.
    const lines = readFileSync(`${FIXTURES}/text-faults/article.md`, 'utf8').split('\n');
    const at = (finding: Finding, length: number) => lines[finding.line - 1].slice(finding.column - 1, finding.column - 1 + length);
    expect(findings.filter((finding) => finding.rule === 'halfwidth-punctuation').map((finding) => at(finding, 1)).join('')).toBe(',,?!():;');
    expect(findings.filter((finding) => finding.rule === 'ellipsis-form').map((finding) => at(finding, 3))).toEqual(['...', '。。。', '…不对']);
  });

  it('reports missing alt text, caption and credit, and the resolution of each photo at its placed width', async () => {
    const { findings } = await check(`${FIXTURES}/figures`);
    expect(places(findings)).toEqual([
      [7, 1, 'figure-credit', 'error'],
      [7, 3, 'figure-alt', 'error'],
      [7, 5, 'image-resolution', 'error'],
      [16, 1, 'figure-caption', 'error'],
      [16, 1, 'figure-credit', 'error'],
      [16, 10, 'image-resolution', 'warning'],
    ]);
  });

  it('reports a 600 px photo across three columns as under 150 ppi, an error', () => {
    const result = runCli(['check', `${FIXTURES}/low-resolution`, '--json']);
    expect(result.code).toBe(1);
    const findings = JSON.parse(result.stdout) as Finding[];
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: `${FIXTURES}/low-resolution/article.md`, line: 7, column: 12, rule: 'image-resolution', severity: 'error' });
    const ppi = Number(/：(\d+) ppi，低于 150 ppi/.exec(findings[0].message)?.[1]);
    expect(ppi).toBeGreaterThan(0);
    expect(ppi).toBeLessThan(150);
  });

  it('reports a missing or unreadable photo as a finding and still proofreads the text', async () => {
    expect(places((await check(`${FIXTURES}/missing-image`)).findings)).toEqual([
      [5, 3, 'halfwidth-punctuation', 'error'],
      [7, 7, 'image-missing', 'error'],
    ]);
    expect(places((await check(`${FIXTURES}/unreadable-image`)).findings)).toEqual([
      [5, 3, 'halfwidth-punctuation', 'error'],
      [7, 7, 'image-unreadable', 'error'],
    ]);
  });

  it('reports nothing on a clean article, with comments, URLs, heads, credits, connectors and ellipses in it', async () => {
    expect((await check(`${FIXTURES}/clean`)).findings).toEqual([]);
    const result = runCli(['check', `${FIXTURES}/clean`]);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toContain('0 errors, 0 warnings');
  });

  it('turns a rule off for one article through `disable:` in the front matter', async () => {
    const copy = path.join(scratch, 'clean-enabled');
    cpSync(`${FIXTURES}/clean`, copy, { recursive: true });
    const file = path.join(copy, 'article.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('disable: [dash-form]\n', ''));
    expect(places((await check(copy)).findings)).toEqual([[22, 19, 'dash-form', 'warning']]);
  });
});

describe('the default article', () => {
  it('checks with exit code 0 and no finding of its text', () => {
    const result = runCli(['check', DEFAULT_ARTICLE, '--json']);
    expect(result.code).toBe(0);
    const findings = JSON.parse(result.stdout) as Finding[];
    expect(findings.filter((finding) => finding.severity === 'error')).toEqual([]);
    expect(findings.filter((finding) => !['image-resolution'].includes(finding.rule))).toEqual([]);
  });

  it('with the source’s half-width ，：；（） put back, reports each one, and --fix restores the article byte for byte', () => {
    const original = readFileSync(`${DEFAULT_ARTICLE}/article.md`, 'utf8');
    const copy = path.join(scratch, 'changsha-halfwidth');
    cpSync(DEFAULT_ARTICLE, copy, { recursive: true });
    // The editor's own notes in comments were never in the source, and the check does not read them.
    const toHalfwidth: Record<string, string> = { '，': ',', '：': ':', '；': ';', '（': '(', '）': ')' };
    const replaced: { line: number; column: number; mark: string }[] = [];
    const halfwidth = original.split(/(<!--[\s\S]*?-->)/).map((part, index, parts) => {
      if (part.startsWith('<!--')) return part;
      const before = parts.slice(0, index).join('');
      return part.replace(/[，：；（）]/g, (mark, offset: number) => {
        const lines = (before + part.slice(0, offset)).split('\n');
        replaced.push({ line: lines.length, column: lines.at(-1)!.length + 1, mark });
        return toHalfwidth[mark];
      });
    }).join('');
    writeFileSync(path.join(copy, 'article.md'), halfwidth);
    expect(replaced.length).toBeGreaterThan(150);

    const result = runCli(['check', copy, '--json']);
    expect(result.code).toBe(1);
    const findings = (JSON.parse(result.stdout) as Finding[]).filter((finding) => finding.rule !== 'image-resolution');
    expect(findings.map(({ line, column, rule, fix }) => ({ line, column, rule, text: fix?.text, safe: fix?.safe })))
      .toEqual(replaced.map(({ line, column, mark }) => ({ line, column, rule: 'halfwidth-punctuation', text: mark, safe: true })));

    const human = runCli(['check', copy]);
    const lines = human.stdout.trim().split('\n').filter((line) => line.includes('halfwidth-punctuation'));
    expect(lines).toHaveLength(replaced.length);
    for (const line of lines) expect(line).toMatch(/^\S+\/article\.md:\d+:\d+ {2}error {2}halfwidth-punctuation {2}中文里用了半角「[,:;()]」，应为全角「[，：；（）]」$/);

    const fixed = runCli(['check', copy, '--fix']);
    expect(fixed.code).toBe(0);
    expect(fixed.stderr).toContain(`fixed ${replaced.length} findings`);
    expect(readFileSync(path.join(copy, 'article.md'), 'utf8')).toBe(original);
    const again = runCli(['check', copy, '--json']);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as Finding[]).filter((finding) => finding.rule !== 'image-resolution')).toEqual([]);
  });

  it('reports the cut-off paragraph once its directive is removed', async () => {
    const copy = path.join(scratch, 'changsha-no-directive');
    cpSync(DEFAULT_ARTICLE, copy, { recursive: true });
    const file = path.join(copy, 'article.md');
    const lines = readFileSync(file, 'utf8').split('\n');
    const directive = lines.findIndex((line) => line.includes('banmian-disable-next-line truncated-paragraph'));
    lines.splice(directive, 1);
    writeFileSync(file, lines.join('\n'));
    const truncated = (await check(copy)).findings.filter((finding) => finding.rule === 'truncated-paragraph');
    expect(truncated).toMatchObject([{ line: directive + 1, column: lines[directive].length, severity: 'error' }]);
    expect(lines[directive].endsWith('三大项目正')).toBe(true);
  });
});

describe('--fix', () => {
  it('applies only the safe fixes (punctuation width, ellipsis, dash) and leaves the rest for the editor', () => {
    const copy = path.join(scratch, 'text-faults');
    cpSync(`${FIXTURES}/text-faults`, copy, { recursive: true });
    const before = readFileSync(path.join(copy, 'article.md'), 'utf8');
    const result = runCli(['check', copy, '--fix', '--json']);
    expect(result.code).toBe(1);
    const after = readFileSync(path.join(copy, 'article.md'), 'utf8');
    const changed = before.split('\n').map((line, index) => [line, after.split('\n')[index]]).filter(([a, b]) => a !== b);
    expect(changed).toEqual([
      ['title: 校对规则测试稿,每行一处错误', 'title: 校对规则测试稿，每行一处错误'],
      ['半角逗号出现在汉字之间,应为全角。', '半角逗号出现在汉字之间，应为全角。'],
      ['省略号用错了...应为六点。', '省略号用错了……应为六点。'],
      ['句号连用。。。也不对。', '句号连用……也不对。'],
      ['他说—我们走吧。', '他说——我们走吧。'],
      ['问号?感叹号!括号(内容)冒号:分号;都是半角。', '问号？感叹号！括号（内容）冒号：分号；都是半角。'],
      ['单个省略号…不对。', '单个省略号……不对。'],
      ['破折号用连字符--不对。', '破折号用连字符——不对。'],
    ]);
    expect(places(JSON.parse(result.stdout) as Finding[]).map(([, , rule]) => rule)).toEqual([
      'bracket-pairs', 'bracket-pairs', 'doubled-punctuation', 'han-space', 'han-latin-space', 'han-latin-space',
      'truncated-paragraph', 'han-space', 'unknown-rule', 'font-fallback', 'font-fallback',
    ]);
  });
});

// Copyfit from the real pagination (Paged.js in Chromium), cross-checked against the PDF the build prints.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkArticle } from '../build/check/check.ts';
import { measureCopyfit } from '../build/check/copyfit.ts';
import type { Finding } from '../build/check/types.ts';
import { loadArticle } from '../build/model/load.ts';
import { openBrowser } from '../build/print/browser.ts';
import { PRESETS } from '../build/print/presets.ts';
import { runCli } from './helpers/cli.ts';
import { DEFAULT_ARTICLE } from './helpers/text.ts';

const OVERSET = 'test/fixtures/check/overset';
const scratch = mkdtempSync(path.join(os.tmpdir(), 'banmian-copyfit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('copyfit', () => {
  it('reports the loose lines an unbreakable Latin run leaves on the laid-out pages, at the run', () => {
    const dir = path.join(scratch, 'loose');
    const run = 'ZE2000GXCMG9';
    const paragraphs = Array.from({ length: 10 }, (_, k) => `${'长沙制造业'.repeat(2).slice(0, k + 1)}的${run}型挖掘机在车间里完成总装，企业的研发团队还在继续攻关新的型号。`);
    writeFileSync(path.join(scratch, 'loose.md'), `---\ntitle: 松行\npages: 1\n---\n\n${paragraphs.join('\n\n')}\n`);
    cpSync(path.join(scratch, 'loose.md'), path.join(dir, 'article.md'));
    const result = runCli(['check', dir, '--json', '--preset', 'tabloid']);
    const loose = (JSON.parse(result.stdout) as Finding[]).filter((finding) => finding.rule === 'loose-line');
    expect(loose.length).toBeGreaterThan(0);
    const lines = readFileSync(path.join(dir, 'article.md'), 'utf8').split('\n');
    for (const finding of loose) {
      expect(finding).toMatchObject({ severity: 'warning', message: expect.stringContaining(`西文串“${run}”不能断开`) });
      expect(lines[finding.line - 1].slice(finding.column - 1)).toMatch(new RegExp(`^${run}`));
    }
  });

  it('--fit sizes the photos toward the `pages` target on a real build and reports honestly what is still over', () => {
    const dir = path.join(scratch, 'fit', 'changsha-manufacturing-2025');
    cpSync(DEFAULT_ARTICLE, dir, { recursive: true });
    const source = path.join(dir, 'article.md');
    writeFileSync(source, readFileSync(source, 'utf8').replace(/^---\n/, '---\npages: 1\n'));
    const pages = (out: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path.join(out, 'changsha-manufacturing-2025.pdf')], { encoding: 'utf8' }))![1]);
    const plain = runCli(['build', dir, '--format', 'pdf', '--preset', 'a4', '--out', path.join(scratch, 'plain')]);
    expect(plain.code).toBe(0);
    expect(plain.stderr).not.toMatch(/fit:/);
    const fitted = runCli(['build', dir, '--format', 'pdf', '--preset', 'a4', '--fit', '--out', path.join(scratch, 'fitted')]);
    expect(fitted.code).toBe(0);
    const [before, after] = [pages(path.join(scratch, 'plain')), pages(path.join(scratch, 'fitted'))];
    // Nearer the one page, and not there: the photos were made smaller, and what is still over is reported
    // against the pages the PDF really has.
    expect(after).toBeLessThan(before);
    expect(after).toBeGreaterThan(1);
    const report = new RegExp(`fit: ${after} pages for the target of 1 \\(photos \\d columns? narrower, \\d+ % tall\\); 超版 (\\d+) 行（约 \\d+ 字）：全文排成 ${after} 版，目标 1 版`).exec(fitted.stderr);
    expect(report, fitted.stderr).not.toBeNull();
    expect(Number(report![1])).toBeGreaterThan(0);
  });

  it('reports a fixture with more text than its one-page target as overset, one amount in lines and characters, where page 2 of the PDF begins', () => {
    const result = runCli(['check', OVERSET, '--json']);
    expect(result.code).toBe(1);
    const findings = JSON.parse(result.stdout) as Finding[];
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: `${OVERSET}/article.md`, rule: 'copyfit', severity: 'error' });
    const [, lines, characters] = (/^超版 (\d+) 行（约 (\d+) 字）：全文排成 2 版，目标 1 版/.exec(findings[0].message) ?? []).map(Number);
    expect(lines).toBeGreaterThan(100);
    expect(characters).toBeGreaterThan(lines * 10);
    expect(result.stderr).toMatch(/copyfit overset \d+\.\d\d s/);
    // The finding points at the first characters that poppler reads on page 2.
    expect(runCli(['build', OVERSET, '--format', 'pdf', '--out', scratch]).code).toBe(0);
    const pageTwo = execFileSync('pdftotext', ['-f', '2', '-l', '2', '-raw', path.join(scratch, 'overset.pdf'), '-'], { encoding: 'utf8' }).replace(/\s/g, '');
    const sourceLine = readFileSync(path.join(OVERSET, 'article.md'), 'utf8').split('\n')[findings[0].line - 1];
    const quoted = sourceLine.slice(findings[0].column - 1).replace(/\s/g, '').slice(0, 8);
    // The page's text begins there (a running head, when the article has one, comes first).
    expect(pageTwo.indexOf(quoted)).toBeGreaterThanOrEqual(0);
    expect(pageTwo.indexOf(quoted)).toBeLessThan(16);
  });

  it('measures the pages the PDF has, and as many lines of text as the PDF prints', async () => {
    const session = await openBrowser({});
    const measure = await measureCopyfit({ article: await loadArticle(OVERSET), preset: PRESETS.broadsheet, browser: session.browser }).finally(() => session.release());
    const built = runCli(['build', OVERSET, '--format', 'pdf', '--out', scratch]);
    expect(built.code).toBe(0);
    const pdf = path.join(scratch, 'overset.pdf');
    const pageCount = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);
    expect(measure.pages).toHaveLength(pageCount);
    expect(pageCount).toBe(2);
    // Poppler's text of page 2, spaces aside, against the measured lines × characters per line
    // (the last line of a paragraph is short, so the PDF holds somewhat fewer characters).
    const characters = [...execFileSync('pdftotext', ['-f', '2', '-l', '2', pdf, '-'], { encoding: 'utf8' }).replace(/\s/g, '')].length;
    const page = measure.pages[1];
    expect(characters / measure.charactersPerLine).toBeGreaterThan(page.textLines * 0.85);
    expect(characters / measure.charactersPerLine).toBeLessThan(page.textLines * 1.05);
    expect(page.used).toBeGreaterThanOrEqual(page.textLines);
    expect(measure.pages[0].used).toBeGreaterThan(measure.pages[0].capacity * 0.95);
  });

  it('reports the default article against a two-page target as underset, a warning', async () => {
    const copy = path.join(scratch, 'changsha-two-pages');
    cpSync(DEFAULT_ARTICLE, copy, { recursive: true });
    const file = path.join(copy, 'article.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('\npublication:', '\npages: 2\npublication:'));
    const { findings } = await checkArticle({ dir: copy, preset: 'broadsheet' });
    const found = findings.filter((finding) => finding.rule === 'copyfit');
    expect(found).toMatchObject([{ line: 6, column: 8, severity: 'warning' }]);
    const lines = Number(/^缺稿 (\d+) 行（约 \d+ 字）：全文排成 1 版，目标 2 版/.exec(found[0].message)?.[1]);
    expect(lines).toBeGreaterThan(0);
    expect(lines).toBeLessThan(PRESETS.broadsheet.columns * 120);
  });
});

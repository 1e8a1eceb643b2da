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
import { PRESETS } from '../build/print/presets.ts';
import { runCli } from './helpers/cli.ts';
import { DEFAULT_ARTICLE } from './helpers/text.ts';

const OVERSET = 'test/fixtures/check/overset';
const scratch = mkdtempSync(path.join(os.tmpdir(), 'banmian-copyfit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('copyfit', () => {
  it('reports a fixture with more text than its one-page target as overset, in lines, at the `pages:` value', () => {
    const result = runCli(['check', OVERSET, '--json']);
    expect(result.code).toBe(1);
    const findings = JSON.parse(result.stdout) as Finding[];
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: `${OVERSET}/article.md`, line: 5, column: 8, rule: 'copyfit', severity: 'error' });
    const lines = Number(/^overset by (\d+) lines: the article fills 2 pages against a target of 1/.exec(findings[0].message)?.[1]);
    expect(lines).toBeGreaterThan(100);
    expect(result.stderr).toMatch(/copyfit overset \d+\.\d\d s/);
  });

  it('measures the pages the PDF has, and as many lines of text as the PDF prints', async () => {
    const measure = await measureCopyfit({ article: await loadArticle(OVERSET), preset: PRESETS.broadsheet });
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
    const lines = Number(/^underset by (\d+) lines: the article fills 2 pages against a target of 2/.exec(found[0].message)?.[1]);
    expect(lines).toBeGreaterThan(0);
    expect(lines).toBeLessThan(PRESETS.broadsheet.columns * 120);
  });
});

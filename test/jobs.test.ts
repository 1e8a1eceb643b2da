// `build --jobs N`: several articles render at once in one browser (pages reused between articles), and the
// outputs are the very bytes of a one-at-a-time build.
import { cpSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadArticle } from '../build/model/load.ts';
import { openBrowser } from '../build/print/browser.ts';
import { buildPdf } from '../build/print/pdf.ts';
import { PRESETS } from '../build/print/presets.ts';
import { ROOT, runCli } from './helpers/cli.ts';
import { DEFAULT_ARTICLE } from './helpers/text.ts';

describe('build --jobs', () => {
  it('three articles at once give the same bytes as one at a time', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'banmian-jobs-'));
    const inputs = path.join(work, 'in');
    for (const name of ['one', 'two', 'three']) cpSync(path.join(ROOT, DEFAULT_ARTICLE), path.join(inputs, name), { recursive: true });
    const outputs = ['1', '3'].map((jobs) => {
      const out = path.join(work, `jobs-${jobs}`);
      const result = runCli(['build', inputs, '--format', 'pdf,epub', '--jobs', jobs, '--out', out]);
      expect(result.code, result.stderr).toBe(0);
      return out;
    });
    const names = readdirSync(outputs[0]).sort();
    expect(names).toEqual(['one.epub', 'one.pdf', 'three.epub', 'three.pdf', 'two.epub', 'two.pdf']);
    expect(readdirSync(outputs[1]).sort()).toEqual(names);
    for (const name of names) expect(readFileSync(path.join(outputs[1], name)).equals(readFileSync(path.join(outputs[0], name))), name).toBe(true);
  });

  it('a page of the pool still renders when a tab opened later hides it', async () => {
    const article = await loadArticle(path.join(ROOT, DEFAULT_ARTICLE));
    const session = await openBrowser({});
    try {
      const options = { article, preset: PRESETS.broadsheet, cropMarks: false, bleed: 0, browser: session.browser, outDir: mkdtempSync(path.join(tmpdir(), 'banmian-hidden-')), timeout: 60_000 };
      const first = readFileSync((await buildPdf(options)).file);
      // A plain new tab lands in the pooled page's window and hides it: no animation frames from now on.
      const tab = await session.browser.newPage();
      expect(await tab.evaluate(() => document.visibilityState)).toBe('visible');
      const again = readFileSync((await buildPdf(options)).file);
      expect(again.equals(first)).toBe(true);
    } finally {
      await session.release();
    }
  });

  it.each(['0', '1.5', 'many'])('--jobs %s is bad usage', (jobs) => {
    const result = runCli(['build', DEFAULT_ARTICLE, '--jobs', jobs]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`invalid --jobs "${jobs}"`);
  });
});

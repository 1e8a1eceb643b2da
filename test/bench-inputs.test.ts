// The benchmark's inputs are what they claim to be: a long article that loads with N copies of every
// section (ids unique), and a print HTML (the html format without Paged.js) that needs nothing outside its folder.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadArticle } from '../build/model/load.ts';
import { PRESETS } from '../build/print/presets.ts';
import { writeHtml } from '../build/output/html.ts';
import { writeLongArticle } from '../scripts/bench-inputs.ts';
import { DEFAULT_ARTICLE } from './helpers/text.ts';

const work = mkdtempSync(path.join(tmpdir(), 'banmian-bench-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('bench inputs', () => {
  it('repeats the default article with unique section heads', async () => {
    const base = await loadArticle(DEFAULT_ARTICLE);
    const dir = path.join(work, 'long');
    await writeLongArticle({ from: DEFAULT_ARTICLE, to: dir, copies: 3 });
    const long = await loadArticle(dir);
    expect(long.frontMatter).toEqual(base.frontMatter);
    // Each copy after the first adds an opening head of its own.
    expect(long.sections).toHaveLength(3 * base.sections.length + 2);
    const ids = long.sections.map((section) => section.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(long.figures).toHaveLength(3 * base.figures.length);
  });

  it('writes a print folder whose every URL is a file inside it', async () => {
    const article = await loadArticle(DEFAULT_ARTICLE);
    const dir = path.join(work, 'print');
    const html = readFileSync(await writeHtml({ article, preset: PRESETS.broadsheet, cropMarks: false, bleed: 0, outDir: dir, paged: false }), 'utf8');
    const urls = [...html.matchAll(/(?:src|href)="([^"#]+)"|url\("([^"]+)"\)/g)].map((match) => match[1] ?? match[2]);
    // 8 font faces, 5 photos (the stylesheets are written into the page).
    expect(urls.length).toBeGreaterThanOrEqual(13);
    for (const url of urls) {
      expect(url).toMatch(/^changsha-manufacturing-2025_files\//);
      expect(existsSync(path.join(dir, decodeURIComponent(url)))).toBe(true);
    }
    // The floor is Chromium without Paged.js: nothing in the page may paginate it.
    expect(html).not.toMatch(/<script/i);
  });
});

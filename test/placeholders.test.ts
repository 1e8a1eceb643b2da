// Placeholder photos: deterministic bytes, 300 ppi at their broadsheet width, named as the Markdown names them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { drawPlaceholder } from '../scripts/placeholders.ts';
import { loadArticle } from '../build/model/load.ts';
import { PRESETS, spanWidthMm } from '../build/print/presets.ts';
import { DEFAULT_ARTICLE } from './helpers/text.ts';
import { writeArticle } from './helpers/article.ts';
import { ROOT } from './helpers/cli.ts';

describe('placeholder photos', () => {
  it('draws the same bytes twice', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'banmian-ph-'));
    await drawPlaceholder(path.join(dir, 'a.jpg'), 1200, 'images/a.jpg');
    await drawPlaceholder(path.join(dir, 'b.jpg'), 1200, 'images/a.jpg');
    expect(readFileSync(path.join(dir, 'a.jpg')).equals(readFileSync(path.join(dir, 'b.jpg')))).toBe(true);
    expect(await sharp(path.join(dir, 'a.jpg')).metadata()).toMatchObject({ width: 1200, height: 800, format: 'jpeg' });
  });

  it('the default article has one at about 300 ppi for each figure', async () => {
    const article = await loadArticle(DEFAULT_ARTICLE);
    expect(article.figures).toHaveLength(5);
    for (const figure of article.figures) {
      const ppi = figure.width / (spanWidthMm(PRESETS.broadsheet, figure.cols) / 25.4);
      expect(ppi).toBeGreaterThan(295);
      expect(ppi).toBeLessThan(305);
    }
  });

  it('`npm run placeholders` draws the missing local photo and skips a remote one, naming it', () => {
    const dir = writeArticle('title: 远程图片', '![本地](images/local.jpg)\n\n![远程](https://example.org/photo.jpg)\n');
    const run = spawnSync('npm', ['run', '--silent', 'placeholders', '--', dir], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/skipped https:\/\/example\.org\/photo\.jpg \(.*article\.md:7\): not a file of the article folder/);
    expect(readdirSync(path.join(dir, 'images'))).toEqual(['local.jpg']);
    expect(existsSync(path.join(dir, 'https:'))).toBe(false);
  });
});

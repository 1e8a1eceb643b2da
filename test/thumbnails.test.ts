// The preview's thumbnails strip photographs each page the PDF stage paginates. Pages paginate with their window
// minimised (build/print/browser.ts, hidePage), and a screenshot needs the page shown again: a picture taken of
// a hidden page would come out blank, or as the one before it, with nothing failing.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArticle } from '../build/model/load.ts';
import { openBrowser, type BrowserSession } from '../build/print/browser.ts';
import { PRESETS } from '../build/print/presets.ts';
import { pageThumbnails } from '../build/preview/thumbnails.ts';
import { writeLongArticle } from '../scripts/bench-inputs.ts';
import { DEFAULT_ARTICLE } from './helpers/text.ts';

describe('page thumbnails', () => {
  let session: BrowserSession;
  beforeAll(async () => {
    session = await openBrowser({});
  });
  afterAll(async () => {
    await session.release();
  });

  it('pictures every page of a three-page article, each of its own page and none blank', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'banmian-thumbnails-')), 'long');
    await writeLongArticle({ from: DEFAULT_ARTICLE, to: dir, copies: 3 });
    const article = await loadArticle(dir);
    // Twice: the second render reuses the page the first one gave back.
    for (let round = 0; round < 2; round++) {
      const pictures = await pageThumbnails({ article, preset: PRESETS.broadsheet, browser: session.browser });
      expect(pictures.length).toBeGreaterThanOrEqual(3);
      const looks = await Promise.all(pictures.map(async (picture) => {
        const { channels } = await sharp(picture).greyscale().stats();
        const { data } = await sharp(picture).greyscale().resize(40, 56, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
        return { spread: channels[0].stdev, mean: channels[0].mean, small: data };
      }));
      for (const { spread, mean } of looks) {
        // Black type on white paper: a blank (or unpainted) picture has no spread at all.
        expect(spread).toBeGreaterThan(20);
        expect(mean).toBeGreaterThan(100);
      }
      // Each picture is of its own page: no two alike.
      for (let a = 0; a < looks.length; a++) {
        for (let b = a + 1; b < looks.length; b++) expect(Buffer.compare(looks[a].small, looks[b].small)).not.toBe(0);
      }
    }
  }, 120_000);
});

// The preview of a copy of the default article, opened in Chromium as the preview tests use it: on the tabloid
// page, where the article runs to two pages (one broadsheet page holds it all), in the PDF stage's browser with
// its flags, so the preview paginates as the PDF does.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer';
import { openBrowser } from '../../build/print/browser.ts';
import { startPreview, type PreviewServer } from '../../build/preview/server.ts';
import { copyDefaultArticle } from './article.ts';

export interface Desk {
  /** The temporary folder holding the article folder. */
  work: string;
  dir: string;
  /** The article file, and its text as copied. */
  file: string;
  original: string;
  preview: PreviewServer;
  page: Page;
  /** Closes the browser and the server and removes the copy. */
  close(): Promise<void>;
}

/** `edit`: what the manuscript says when the preview starts; the page is at `viewport` on the preview's URL. */
export async function openDesk({ edit, debounceMs, viewport }: {
  edit?: (text: string) => string;
  debounceMs?: number;
  viewport: { width: number; height: number };
}): Promise<Desk> {
  const dir = copyDefaultArticle();
  const work = path.dirname(dir);
  const file = path.join(dir, 'article.md');
  const original = readFileSync(file, 'utf8');
  if (edit) writeFileSync(file, edit(original));
  const preview = await startPreview({ dir, port: 0, preset: 'tabloid', debounceMs });
  const session = await openBrowser({});
  const page = await session.browser.newPage();
  await page.setViewport(viewport);
  await page.goto(preview.url);
  return {
    work, dir, file, original, preview, page,
    close: async () => {
      await session.release();
      await preview.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

// Save-to-repaint latency of the preview, for the benchmark: save a changed article, time until the change is on
// screen, then until the check's findings for it (copyfit included) are in the panel.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ARTICLE_FILE } from '../model/load.ts';
import { openBrowser } from '../print/browser.ts';
import type { PresetName } from '../print/presets.ts';
import { startPreview } from './server.ts';

export interface MeasureRepaintOptions {
  /** The article folder; it is copied, never edited. */
  dir: string;
  preset: PresetName;
  /** Saves to time (the first page load is not one of them). */
  samples?: number;
  /** `ws://…` of a running Chromium to view the preview in. */
  browserEndpoint?: string;
  /** Milliseconds to wait for one repaint before giving up. */
  timeout?: number;
  /** A copyfit target to set in the copy's front matter, so that every check paginates (the slowest finding). */
  pagesTarget?: number;
}

export interface RepaintTimes {
  /** Milliseconds from the start of each save to the frame in which the new text is on screen. */
  samples: number[];
  median: number;
  max: number;
  /** Milliseconds from that frame until the findings of the same version are in the panel. */
  findings: number[];
  findingsMedian: number;
}

/**
 * Serves a scratch copy of the article, opens it in Chromium, then appends a new paragraph and
 * saves, `samples` times. Each time runs from just before the write to two animation frames after
 * the new text is in the page in view: file watching, the debounce, the render, the page load and
 * Paged.js are all inside it. Then, from that frame, until the panel lists the findings of that version.
 *
 * @example
 * const { median } = await measureRepaint({ dir: 'manuscript/changsha-manufacturing-2025', preset: 'broadsheet' });
 */
export async function measureRepaint(options: MeasureRepaintOptions): Promise<RepaintTimes> {
  const work = await mkdtemp(path.join(tmpdir(), 'banmian-repaint-'));
  const dir = path.join(work, path.basename(path.resolve(options.dir)));
  await cp(options.dir, dir, { recursive: true });
  const file = path.join(dir, ARTICLE_FILE);
  const read = await readFile(file, 'utf8');
  const source = options.pagesTarget ? read.replace(/^---\n/, `---\npages: ${options.pagesTarget}\n`) : read;
  if (options.pagesTarget) await writeFile(file, source);
  const preview = await startPreview({ dir, port: 0, preset: options.preset });
  const session = await openBrowser({ endpoint: options.browserEndpoint }).catch(async (error: unknown) => {
    await preview.close();
    await rm(work, { recursive: true, force: true });
    throw error;
  });
  try {
    const page = await session.browser.newPage();
    await page.setViewport({ width: 1400, height: 900 });
    await page.goto(preview.url);
    await page.waitForSelector('iframe.is-shown', { timeout: options.timeout ?? 30_000 });
    const samples: number[] = [];
    const findings: number[] = [];
    for (let sample = 1; sample <= (options.samples ?? 5); sample++) {
      // A proofreader's saves are seconds apart: let the previous save's check finish before timing the next.
      await page.waitForFunction(() => document.getElementById('findings')?.dataset.status === 'done', { timeout: options.timeout ?? 30_000 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const marker = `校样计时第${sample}次保存`;
      const start = performance.now();
      await writeFile(file, `${source.trimEnd()}\n\n${marker}。\n`);
      await page.waitForFunction(
        (text) => document.querySelector<HTMLIFrameElement>('iframe.is-shown')?.contentDocument?.querySelector('.pagedjs_pages')?.textContent?.includes(text),
        { polling: 'raf', timeout: options.timeout ?? 10_000 },
        marker,
      );
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const repainted = performance.now();
      samples.push(repainted - start);
      await page.waitForFunction(() => document.getElementById('findings')?.dataset.status === 'done', { polling: 'raf', timeout: options.timeout ?? 30_000 });
      findings.push(performance.now() - repainted);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    return { samples, median: median(samples), max: Math.max(...samples), findings, findingsMedian: median(findings) };
  } finally {
    await session.release();
    await preview.close();
    await rm(work, { recursive: true, force: true });
  }
}

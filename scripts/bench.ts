// `npm run bench`: the SPEC's "Performance" figures, each a ratio of medians measured in this one run —
// PDF vs the Chromium floor, vs Vivliostyle CLI, per-page cost at 10 and ~100 pages, EPUB time, preview repaint.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer';
import { buildEpub } from '../build/epub/build.ts';
import { log } from '../build/log.ts';
import { loadArticle, type Article } from '../build/model/load.ts';
import { measureRepaint } from '../build/preview/measure.ts';
import { openBrowser } from '../build/print/browser.ts';
import { PROJECT_ROOT } from '../build/print/document.ts';
import type { PageMap } from '../build/print/page-map.ts';
import { buildPdf, paginate } from '../build/print/pdf.ts';
import { DEFAULT_MAX_INK, DEFAULT_OUTPUT_PROFILE, readOutputProfile } from '../build/print/pdfx.ts';
import { PRESETS } from '../build/print/presets.ts';
import { writeHtml } from '../build/output/html.ts';
import { writeLongArticle } from './bench-inputs.ts';

/** Timed runs per measurement, after one untimed warm-up run. */
const RUNS = 5;
/** Fewer runs for the long document when one run takes longer than this. */
const LONG_RUN_LIMIT_MS = 60_000;
const FEW_RUNS = 3;
const ARTICLE_DIR = path.join(PROJECT_ROOT, 'manuscript/changsha-manufacturing-2025');
const PRESET = PRESETS.broadsheet;
const CHROMIUM = process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';
/** The Vivliostyle install is kept here between runs (npm ci of the project clears it, which is fine). */
const CACHE = path.join(PROJECT_ROOT, 'node_modules/.cache/banmian-bench');

/** One line of the final table. */
interface Row {
  what: string;
  /** The median, or the ratio, as printed. */
  value: string;
  target?: string;
  met?: boolean;
  /** Raw figures: every run, page counts, how it was measured. */
  note?: string;
}

interface Timing {
  median: number;
  runs: number[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (value: number) => `${value.toFixed(2)}×`;
const runList = (timing: Timing) => `runs ${timing.runs.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s`;

async function time(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/**
 * Runs the tasks in turn, round after round (A B A B …), so that load from the rest of the machine falls
 * on all of them alike; a first round warms up and is not counted, unless the caller has warmed up already.
 */
async function interleave<K extends string>(label: string, runs: number, tasks: Record<K, () => Promise<unknown>>, warmUp = true): Promise<Record<K, Timing>> {
  const names = Object.keys(tasks) as K[];
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = warmUp ? 0 : 1; round <= runs; round++) {
    for (const name of names) {
      const ms = await time(tasks[name]);
      log.info(`${label}: ${name} ${round ? `run ${round}/${runs}` : 'warm-up'} ${seconds(ms)}`);
      if (round) times[name].push(ms);
    }
  }
  return Object.fromEntries(names.map((name) => [name, { median: median(times[name]), runs: times[name] }])) as Record<K, Timing>;
}

interface CommandResult {
  code: number | null;
  output: string;
  /** Milliseconds from the program's last output to its exit. */
  quietMs: number;
}

/** Everything the bench writes goes here, and is removed on every path. */
const WORK = mkdtempSync(path.join(tmpdir(), 'banmian-bench-'));
/** Process groups of the programs running now, stopped with the bench on Ctrl-C. */
const running = new Set<number>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const group of running) stopGroup(group);
    rmSync(WORK, { recursive: true, force: true });
    // Exiting lets puppeteer kill the browsers it launched.
    process.exit(130);
  });
}

function stopGroup(group: number): void {
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Runs a program in its own process group, so that on timeout or Ctrl-C its browser goes with it. */
function run(command: string, args: string[], options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid) running.add(child.pid);
    let output = '';
    let lastOutput = performance.now();
    const collect = (chunk: Buffer) => {
      output += chunk;
      lastOutput = performance.now();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      output += `\n(stopped after ${options.timeoutMs / 1000} s)`;
      stopGroup(child.pid!);
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (child.pid) running.delete(child.pid);
      resolve({ code, output, quietMs: performance.now() - lastOutput });
    });
  });
}

async function mustRun(command: string, args: string[], cwd: string): Promise<CommandResult> {
  const result = await run(command, args, { cwd, timeoutMs: 600_000 });
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.code}):\n${result.output}`);
  return result;
}

async function pdfPages(file: string): Promise<number> {
  const { code, output } = await run('pdfinfo', [file], { cwd: PROJECT_ROOT, timeoutMs: 30_000 });
  const pages = /^Pages:\s+(\d+)/m.exec(output);
  if (code !== 0 || !pages) throw new Error(`pdfinfo ${file} failed:\n${output}`);
  return Number(pages[1]);
}

const pdfOptions = (article: Article, browser: Browser, outDir: string) => ({ article, preset: PRESET, cropMarks: false, bleed: 0, browser, outDir, timeout: 900_000 });

/** What Paged.js leaves on the window of a paginated page. */
interface PagedWindow {
  PagedPolyfill: { chunker: { performance: number } };
}

/** The print document with its files and without Paged.js, as the floor and Vivliostyle read it. */
const writePrintFolder = (article: Article, dir: string) => writeHtml({ article, preset: PRESET, cropMarks: false, bleed: 0, outDir: dir, paged: false });

/** 1. The PDF stage (Paged.js, print, finishing) against Chromium printing the same HTML without Paged.js, in one open browser. */
async function benchPdfVsFloor(article: Article, browser: Browser, work: string): Promise<Row[]> {
  const floorHtml = await writePrintFolder(article, path.join(work, 'floor'));
  const floorPdf = path.join(work, 'floor.pdf');
  const outDir = path.join(work, 'pdf-stage');
  const printFloor = async () => {
    const page = await browser.newPage();
    try {
      await page.goto(pathToFileURL(floorHtml).href, { waitUntil: 'load' });
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      await writeFile(floorPdf, await page.pdf({ printBackground: true, preferCSSPageSize: true, margin: { top: 0, right: 0, bottom: 0, left: 0 } }));
    } finally {
      await page.close();
    }
  };
  // One per pagination; the first is the warm-up's.
  const layouts: number[] = [];
  const timings = await interleave('pdf vs floor', RUNS, {
    banmian: () => buildPdf(pdfOptions(article, browser, outDir)),
    floor: printFloor,
    // Where the stage's time goes: the pagination alone (without printing and finishing), and within it the
    // layout proper, as Paged.js times it (its chunker's flow; loading, CSS parsing and waiting are outside).
    paginate: async () => {
      const pagination = await paginate(pdfOptions(article, browser, outDir));
      try {
        layouts.push(await pagination.page.evaluate(() => (window as unknown as PagedWindow).PagedPolyfill.chunker.performance));
      } finally {
        await pagination.close();
      }
    },
  });
  const layout: Timing = { median: median(layouts.slice(1)), runs: layouts.slice(1) };
  const [pages, floorPages] = await Promise.all([pdfPages(path.join(outDir, `${article.slug}.pdf`)), pdfPages(floorPdf)]);
  const value = timings.banmian.median / timings.floor.median;
  return [
    { what: 'PDF, in-process stage (buildPdf, browser already open)', value: seconds(timings.banmian.median), note: `${pages} pages; ${runList(timings.banmian)}` },
    { what: '  of which pagination (paginate: load, Paged.js, pagedjs-cli waits)', value: seconds(timings.paginate.median), note: runList(timings.paginate) },
    { what: '    of which Paged.js layout (its own flow timer)', value: seconds(layout.median), note: runList(layout) },
    { what: 'Floor: same print HTML, no Paged.js, page.pdf in the same browser', value: seconds(timings.floor.median), note: `${floorPages} pages (Chromium's own page breaks); ${runList(timings.floor)}` },
    { what: 'PDF stage / floor', value: ratio(value), target: '≤ 1.3×', met: value <= 1.3 },
  ];
}

type Vivliostyle = { bin: string; version: string } | { skipped: string };

/** Installs @vivliostyle/cli into the bench cache (once) and checks that it starts. */
async function installVivliostyle(): Promise<Vivliostyle> {
  // Vivliostyle CLI 11 needs Node ≥ 22.12; 10.x is its last line for Node 20.
  const [major, minor] = process.versions.node.split('.').map(Number);
  const spec = major > 22 || (major === 22 && minor >= 12) ? '@vivliostyle/cli' : '@vivliostyle/cli@10';
  const dir = path.join(CACHE, spec.replace(/[@/]/g, '_'));
  const bin = path.join(dir, 'node_modules/.bin/vivliostyle');
  try {
    const installed = await readFile(path.join(dir, 'node_modules/@vivliostyle/cli/package.json'), 'utf8').catch(() => undefined);
    if (!installed) {
      log.info(`vivliostyle: installing ${spec} into ${path.relative(PROJECT_ROOT, dir)} (once)`);
      await mkdir(dir, { recursive: true });
      const result = await run('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', spec], {
        cwd: dir,
        timeoutMs: 600_000,
        // Never download a browser: Debian's Chromium is passed with --executable-browser.
        env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
      });
      if (result.code !== 0) return { skipped: `npm install ${spec} failed: ${lastLine(result.output)}` };
    }
    const check = await run(bin, ['--version'], { cwd: dir, timeoutMs: 60_000 });
    if (check.code !== 0) return { skipped: `vivliostyle --version failed: ${lastLine(check.output)}` };
    return { bin, version: check.output.trim().split('\n').join(', ') };
  } catch (error) {
    return { skipped: `cannot run vivliostyle: ${(error as Error).message}` };
  }
}

const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '(no output)';

/** 1 and 2. The whole banmian CLI building the PDF, and Vivliostyle CLI building the same print HTML; both start their own browser. */
async function benchCliVsVivliostyle(article: Article, work: string): Promise<Row[]> {
  const cliOut = path.join(work, 'cli');
  // The CLI's last lines are "wrote …", printed once the build is done and its browser released: the
  // time from there to exit is pure winding down, which a user waits through all the same.
  const exitWaits: number[] = [];
  const cli = async () => {
    const result = await mustRun(process.execPath, ['build/bin.mjs', 'build', article.dir, '--format', 'pdf', '--out', cliOut], PROJECT_ROOT);
    exitWaits.push(result.quietMs);
  };
  // `--version` loads every module the build does (cli.ts imports every command), then exits: the start-up share.
  const startup = () => mustRun(process.execPath, ['build/bin.mjs', '--version'], PROJECT_ROOT);
  // The first entry is the warm-up run's.
  const exitWaitRow = (): Row => {
    const waits: Timing = { median: median(exitWaits.slice(1)), runs: exitWaits.slice(1) };
    return { what: '  of which from "wrote …" to process exit', value: seconds(waits.median), note: runList(waits) };
  };
  const cliRows = (timings: Record<'banmian' | 'startup', Timing>): Row[] => [
    { what: 'PDF, whole CLI (node build/bin.mjs build … --format pdf)', value: seconds(timings.banmian.median), note: `process start to exit, own browser; ${runList(timings.banmian)}` },
    { what: '  of which Node, tsx and module loading (--version)', value: seconds(timings.startup.median), note: runList(timings.startup) },
    exitWaitRow(),
  ];
  const vivliostyle = await installVivliostyle();
  if ('skipped' in vivliostyle) {
    log.warn(`vivliostyle skipped: ${vivliostyle.skipped}`);
    const timings = await interleave('cli', RUNS, { banmian: cli, startup });
    return [...cliRows(timings), { what: 'Vivliostyle CLI / banmian CLI', value: 'skipped', target: '≥ 2×', note: vivliostyle.skipped }];
  }
  const input = await writePrintFolder(article, path.join(work, 'vivliostyle'));
  const vivliostylePdf = path.join(work, 'vivliostyle.pdf');
  const viv = async () => {
    const result = await run(vivliostyle.bin, ['build', path.basename(input), '-o', vivliostylePdf, '--executable-browser', CHROMIUM, '--log-level', 'silent'], {
      cwd: path.dirname(input),
      timeoutMs: 600_000,
    });
    if (result.code !== 0) throw new Error(`vivliostyle build failed (${result.code}):\n${result.output}`);
  };
  let timings: Record<'banmian' | 'startup' | 'vivliostyle', Timing>;
  try {
    timings = await interleave('cli vs vivliostyle', RUNS, { banmian: cli, startup, vivliostyle: viv });
  } catch (error) {
    const reason = (error as Error).message.split('\n').slice(0, 3).join(' ');
    log.warn(`vivliostyle skipped: ${reason}`);
    exitWaits.length = 0;
    const only = await interleave('cli', RUNS, { banmian: cli, startup });
    return [...cliRows(only), { what: 'Vivliostyle CLI / banmian CLI', value: 'skipped', target: '≥ 2×', note: reason }];
  }
  const value = timings.vivliostyle.median / timings.banmian.median;
  return [
    ...cliRows(timings),
    {
      what: `Vivliostyle CLI (vivliostyle build, same print HTML)`,
      value: seconds(timings.vivliostyle.median),
      note: `${vivliostyle.version}; its own layout of the same HTML: ${await pdfPages(vivliostylePdf)} page(s); ${runList(timings.vivliostyle)}`,
    },
    { what: 'Vivliostyle CLI / banmian CLI', value: ratio(value), target: '≥ 2×', met: value >= 2 },
  ];
}

/**
 * An article of about `pages` broadsheet pages, found by building it: a first guess (the default article
 * fills about 1.5 pages per copy), then corrections. The last build doubles as the warm-up of its timing.
 */
async function longArticle(pages: number, browser: Browser, work: string): Promise<{ article: Article; pages: number; firstRunMs: number }> {
  let copies = Math.max(1, Math.round(pages / 1.5));
  for (let attempt = 0; ; attempt++) {
    const dir = path.join(work, `long-${copies}`);
    await writeLongArticle({ from: ARTICLE_DIR, to: dir, copies });
    const article = await loadArticle(dir);
    const outDir = path.join(work, `long-${copies}-out`);
    const firstRunMs = await time(() => buildPdf(pdfOptions(article, browser, outDir)));
    const got = await pdfPages(path.join(outDir, `${article.slug}.pdf`));
    log.info(`scale: ${copies} copies of ${path.basename(ARTICLE_DIR)} → ${got} pages in ${seconds(firstRunMs)}`);
    const next = Math.max(1, Math.round((copies * pages) / got));
    if (Math.abs(got - pages) <= pages * 0.1 || next === copies || attempt === 2) return { article, pages: got, firstRunMs };
    copies = next;
  }
}

/** 3. Per-page time of a ~100-page document against a ~10-page one. */
async function benchScale(browser: Browser, work: string): Promise<Row[]> {
  const short = await longArticle(10, browser, work);
  const long = await longArticle(100, browser, work);
  const longRuns = long.firstRunMs > LONG_RUN_LIMIT_MS ? FEW_RUNS : RUNS;
  const shortTiming = (await interleave('scale', RUNS, { short: () => buildPdf(pdfOptions(short.article, browser, path.join(work, 'short-out'))) }, false)).short;
  const longTiming = (await interleave('scale', longRuns, { long: () => buildPdf(pdfOptions(long.article, browser, path.join(work, 'long-out'))) }, false)).long;
  const perPage = (timing: Timing, pages: number) => timing.median / pages;
  const value = perPage(longTiming, long.pages) / perPage(shortTiming, short.pages);
  const fewer = longRuns < RUNS ? `; ${longRuns} runs only: one run took ${seconds(long.firstRunMs)}` : '';
  return [
    { what: `PDF stage, ${short.pages}-page article`, value: seconds(shortTiming.median), note: `${(perPage(shortTiming, short.pages) / 1000).toFixed(3)} s/page; ${runList(shortTiming)}` },
    { what: `PDF stage, ${long.pages}-page article`, value: seconds(longTiming.median), note: `${(perPage(longTiming, long.pages) / 1000).toFixed(3)} s/page; ${runList(longTiming)}${fewer}` },
    { what: `Per-page time, ${long.pages} pages / ${short.pages} pages`, value: ratio(value), target: '≤ 1.2×', met: value <= 1.2 },
  ];
}

/** 4. The EPUB stage of the default article (its page map from the PDF stage, as `banmian build` hands it over). */
async function benchEpub(article: Article, pageMap: PageMap, work: string): Promise<Row[]> {
  const timings = await interleave('epub', RUNS, { epub: () => buildEpub({ article, pageMap, outDir: path.join(work, 'epub') }) });
  return [{ what: 'EPUB, in-process stage (buildEpub)', value: seconds(timings.epub.median), note: runList(timings.epub) }];
}

/** 5. Save to repaint in the preview, with the preview's own probe (server in-process, page in Chromium, a paragraph appended and saved). */
async function benchPreview(): Promise<Row[]> {
  log.info(`preview: ${RUNS} saves`);
  const { samples } = await measureRepaint({ dir: ARTICLE_DIR, preset: 'broadsheet', samples: RUNS });
  const timing: Timing = { median: median(samples), runs: samples };
  return [{
    what: 'Preview, save to repainted page',
    value: seconds(timing.median),
    target: '≤ 1 s',
    met: timing.median <= 1000,
    note: `measureRepaint from build/preview/measure.ts, first page load untimed; ${runList(timing)}`,
  }];
}

/** 6. The press PDF (--pdfx x4: Ghostscript separation and PDF/X finishing) against the proof PDF, same browser. */
async function benchPress(article: Article, browser: Browser, work: string): Promise<Row[]> {
  const press = { standard: 'x4' as const, profile: await readOutputProfile(DEFAULT_OUTPUT_PROFILE), maxInk: DEFAULT_MAX_INK };
  const options = { ...pdfOptions(article, browser, path.join(work, 'press')), bleed: 3 };
  const timings = await interleave('press vs proof', RUNS, {
    proof: () => buildPdf(options),
    x4: () => buildPdf({ ...options, press }),
  });
  const value = timings.x4.median / timings.proof.median;
  return [
    { what: 'Press PDF --pdfx x4, in-process stage (buildPdf, browser open)', value: seconds(timings.x4.median), note: runList(timings.x4) },
    { what: 'Proof PDF, same article and 3 mm bleed', value: seconds(timings.proof.median), note: runList(timings.proof) },
    { what: 'Press PDF / proof PDF', value: ratio(value), target: '≤ 2×', met: value <= 2 },
  ];
}

function printTable(rows: Row[]): void {
  const cells = rows.map((row) => [row.what, row.value, row.target ?? '', row.met === undefined ? '' : row.met ? 'yes' : 'NO']);
  const header = ['measurement', 'median / ratio', 'target', 'met'];
  const widths = header.map((title, column) => Math.max(width(title), ...cells.map((cell) => width(cell[column]))));
  const line = (cell: string[]) => cell.map((text, column) => text + ' '.repeat(widths[column] - width(text))).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const [index, row] of rows.entries()) {
    out.push(line(cells[index]));
    if (row.note) out.push(`    ${row.note}`);
  }
  process.stdout.write(`\n${out.join('\n')}\n`);
}

/** Display width: Han characters and full-width forms take two columns. */
function width(text: string): number {
  let columns = 0;
  for (const char of text) columns += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(char) ? 2 : 1;
  return columns;
}

/** 6. The preview's findings after a save: from the repainted frame to the findings of that version, copyfit included (a `pages: 1` target set on a copy). */
async function benchPreviewFindings(): Promise<Row[]> {
  log.info(`preview findings: ${RUNS} saves`);
  const { findings } = await measureRepaint({ dir: ARTICLE_DIR, preset: 'broadsheet', samples: RUNS, pagesTarget: 1 });
  const timing: Timing = { median: median(findings), runs: findings };
  return [{
    what: 'Preview, repainted page to its findings (copyfit in the preview\'s browser)',
    value: seconds(timing.median),
    target: '≤ 1.50 s',
    met: timing.median <= 1500,
    note: `measureRepaint's findings figure, pages: 1 on a copy of the default article; ${runList(timing)}`,
  }];
}

async function main(): Promise<void> {
  const started = performance.now();
  const rows: Row[] = [];
  try {
    const article = await loadArticle(ARTICLE_DIR);
    const session = await openBrowser({});
    let pageMap: PageMap;
    try {
      pageMap = (await buildPdf(pdfOptions(article, session.browser, path.join(WORK, 'page-map')))).pageMap;
      rows.push(...(await benchPdfVsFloor(article, session.browser, WORK)));
      rows.push(...(await benchScale(session.browser, WORK)));
      rows.push(...(await benchPress(article, session.browser, WORK)));
    } finally {
      await session.release();
    }
    rows.push(...(await benchCliVsVivliostyle(article, WORK)));
    rows.push(...(await benchEpub(article, pageMap, WORK)));
    rows.push(...(await benchPreview()));
    rows.push(...(await benchPreviewFindings()));
  } finally {
    await rm(WORK, { recursive: true, force: true });
  }
  printTable(rows);
  process.stdout.write(`
Medians of ${RUNS} timed runs each (unless noted), after an untimed warm-up: one extra run; for the scale figures
the build that sized the article; for the preview the first page load. Whole bench: ${seconds(performance.now() - started)}.
`);
}

await main();

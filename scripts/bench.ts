// `npm run bench` (`-- --quick` for an everyday check under 90 s): the SPEC's "Performance" figures, each a
// median or a ratio of medians measured in this one run — CLI start-up and failure time, the CLI against a bare
// Chromium process, the PDF stage against the Chromium floor (warm and cold), per-page cost at ~10 and ~100
// pages, 8 articles with --jobs 1 and the default, Vivliostyle CLI, EPUB time, preview repaint.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer';
import { buildEpub } from '../build/epub/build.ts';
import { log } from '../build/log.ts';
import { loadArticle, type Article } from '../build/model/load.ts';
import { measureRepaint } from '../build/preview/measure.ts';
import { openBrowser } from '../build/print/browser.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../build/print/chromium.ts';
import { CACHE_DIR, PROJECT_ROOT } from '../build/print/document.ts';
import type { PageMap } from '../build/print/page-map.ts';
import { buildPdf, paginate } from '../build/print/pdf.ts';
import { DEFAULT_MAX_INK, DEFAULT_OUTPUT_PROFILE, readOutputProfile } from '../build/print/pdfx.ts';
import { PRESETS } from '../build/print/presets.ts';
import { writeHtml } from '../build/output/html.ts';
import { writeLongArticle } from './bench-inputs.ts';

const QUICK = process.argv.includes('--quick');
/** Timed runs per measurement, after one untimed warm-up run (none in quick mode but for the PDF stage against the floor). */
const RUNS = QUICK ? 1 : 5;
const WARM_UP = !QUICK;
/** Fewer runs for the long document when one run takes longer than this. */
const LONG_RUN_LIMIT_MS = 60_000;
const FEW_RUNS = QUICK ? 1 : 3;
const ARTICLE_DIR = path.join(PROJECT_ROOT, 'manuscript/changsha-manufacturing-2025');
const PRESET = PRESETS.broadsheet;
const CHROMIUM = chromiumPath();
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

/** Wall time of `work`, or the time it reports itself (a task that must leave its set-up untimed). */
async function time(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  const reported = await work();
  return typeof reported === 'number' ? reported : performance.now() - start;
}

/**
 * Runs the tasks in turn, round after round (A B A B …), so that load from the rest of the machine falls
 * on all of them alike; a first round warms up and is not counted, unless the caller has warmed up already
 * or the bench is quick.
 */
async function interleave<K extends string>(label: string, runs: number, tasks: Record<K, () => Promise<unknown>>, warmUp = WARM_UP): Promise<Record<K, Timing>> {
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

const PDF_OPTIONS = { printBackground: true, preferCSSPageSize: true, margin: { top: 0, right: 0, bottom: 0, left: 0 } } as const;

/** The floor: Chromium loads the print HTML (no Paged.js, its own page breaks), waits for its fonts, prints. */
async function printFloor(page: Page, html: string, pdf: string): Promise<void> {
  await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await writeFile(pdf, await page.pdf(PDF_OPTIONS));
}

/**
 * 1. The PDF stage (Paged.js, no-loss check, print, finishing) against the floor, twice:
 * warm — in one open browser, each side reusing its page (a build of many articles, a render service);
 * cold — each run in a browser of its own, first render in a fresh page (a one-article CLI build).
 */
async function benchPdfVsFloor(article: Article, browser: Browser, work: string): Promise<Row[]> {
  const floorHtml = await writePrintFolder(article, path.join(work, 'floor'));
  const floorPdf = path.join(work, 'floor.pdf');
  const outDir = path.join(work, 'pdf-stage');
  const floorPage = await browser.newPage();
  // One per pagination; the first is the warm-up's.
  const layouts: number[] = [];
  // Closing the cold runs' browsers until every process of theirs has ended; the first two are the warm-up's.
  const releases: number[] = [];
  const cold = (work: (browser: Browser) => Promise<unknown>) => async () => {
    const session = await openBrowser({});
    try {
      return await time(() => work(session.browser));
    } finally {
      releases.push(await time(() => session.release()));
    }
  };
  // Warmed up even in quick mode: "warm" means a page that has rendered before.
  const timings = await interleave('pdf vs floor', RUNS, {
    banmian: () => buildPdf(pdfOptions(article, browser, outDir)),
    floor: () => printFloor(floorPage, floorHtml, floorPdf),
    // Where the stage's time goes: the pagination alone (without the check, printing and finishing), and within
    // it the layout proper, as Paged.js times it (its chunker's flow, font loading included).
    paginate: async () => {
      const pagination = await paginate(pdfOptions(article, browser, outDir));
      try {
        layouts.push(await pagination.page.evaluate(() => (window as unknown as PagedWindow).PagedPolyfill.chunker.performance));
      } finally {
        await pagination.close();
      }
    },
    coldBanmian: cold((fresh) => buildPdf(pdfOptions(article, fresh, outDir))),
    coldFloor: cold(async (fresh) => printFloor(await fresh.newPage(), floorHtml, floorPdf)),
  }, true);
  await floorPage.close();
  const layout: Timing = { median: median(layouts.slice(1)), runs: layouts.slice(1) };
  const release: Timing = { median: median(releases.slice(2)), runs: releases.slice(2) };
  const [pages, floorPages] = await Promise.all([pdfPages(path.join(outDir, `${article.slug}.pdf`)), pdfPages(floorPdf)]);
  const warm = timings.banmian.median / timings.floor.median;
  const coldRatio = timings.coldBanmian.median / timings.coldFloor.median;
  return [
    { what: 'PDF stage, warm (buildPdf, open browser, page reused)', value: seconds(timings.banmian.median), note: `${pages} pages; ${runList(timings.banmian)}` },
    { what: '  of which pagination (load, Paged.js)', value: seconds(timings.paginate.median), note: runList(timings.paginate) },
    { what: '    of which Paged.js flow (its own timer, fonts included)', value: seconds(layout.median), note: runList(layout) },
    { what: 'Floor, warm: same print HTML, no Paged.js, page.pdf, page reused', value: seconds(timings.floor.median), note: `${floorPages} pages (Chromium's own page breaks); ${runList(timings.floor)}` },
    { what: 'PDF stage / floor, warm', value: ratio(warm), target: '≤ 1.3×', met: warm <= 1.3 },
    { what: 'PDF stage, cold (fresh browser, first render)', value: seconds(timings.coldBanmian.median), note: `browser start not timed; ${runList(timings.coldBanmian)}` },
    { what: 'Floor, cold (fresh browser, first page)', value: seconds(timings.coldFloor.median), note: runList(timings.coldFloor) },
    { what: 'PDF stage / floor, cold', value: ratio(coldRatio), target: '≤ 1.3×', met: coldRatio <= 1.3 },
    { what: 'Chromium release (close, then every process of it ended)', value: seconds(release.median), note: `after the cold runs, both sides; ${runList(release)}` },
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

/** The floor's Chromium: banmian's flags, and no first window (the floor opens its page itself: ~0.1 s sooner ready). */
const FLOOR_ARGS = [...CHROMIUM_ARGS, '--no-startup-window'];

/**
 * The floor as a process: Node starts Chromium as banmian does, prints the print HTML, closes it. A plain
 * ES module next to the Vivliostyle install, so `puppeteer` resolves from the project's node_modules.
 */
const FLOOR_PROCESS = `import puppeteer from 'puppeteer';
const [html, pdf, args] = process.argv.slice(2);
const browser = await puppeteer.launch({ executablePath: ${JSON.stringify(CHROMIUM)}, headless: 'new', args: JSON.parse(args), waitForInitialPage: false });
const page = await browser.newPage();
await page.goto(html, { waitUntil: 'load' });
await page.evaluate(() => document.fonts.ready.then(() => undefined));
await page.pdf({ path: pdf, ...${JSON.stringify(PDF_OPTIONS)} });
await browser.close();
`;

/** 2. The whole CLI: start-up, a failing build, the PDF build against the floor process and Vivliostyle CLI; each starts its own browser. */
async function benchCli(article: Article, work: string): Promise<Row[]> {
  const cliOut = path.join(work, 'cli');
  // The CLI's last lines are "wrote …", printed once the build is done and its browser released: the
  // time from there to exit is pure winding down, which a user waits through all the same.
  const exitWaits: number[] = [];
  const cli = async () => {
    const result = await mustRun(process.execPath, ['build/bin.mjs', 'build', article.dir, '--format', 'pdf', '--out', cliOut], PROJECT_ROOT);
    exitWaits.push(result.quietMs);
  };
  const startup = () => mustRun(process.execPath, ['build/bin.mjs', '--version'], PROJECT_ROOT);
  const badDir = path.join(work, 'bad-yaml');
  await mkdir(badDir, { recursive: true });
  await writeFile(path.join(badDir, 'article.md'), '---\ntitle: [不成对\n---\n正文。\n');
  const failing = async () => {
    const result = await run(process.execPath, ['build/bin.mjs', 'build', badDir, '--out', path.join(work, 'bad-out')], { cwd: PROJECT_ROOT, timeoutMs: 60_000 });
    if (result.code !== 1) throw new Error(`a build with bad YAML should exit 1, got ${result.code}:\n${result.output}`);
  };
  const floorScript = path.join(CACHE, 'floor-process.mjs');
  await mkdir(CACHE, { recursive: true });
  await writeFile(floorScript, FLOOR_PROCESS);
  const floorHtml = await writePrintFolder(article, path.join(work, 'floor-process'));
  const floorProcess = () => mustRun(process.execPath, [floorScript, pathToFileURL(floorHtml).href, path.join(work, 'floor-process.pdf'), JSON.stringify(FLOOR_ARGS)], PROJECT_ROOT);
  const tasks: Record<string, () => Promise<unknown>> = { banmian: cli, floorProcess, startup, failing };
  const vivliostyle = await installVivliostyle();
  let viv: (() => Promise<void>) | undefined;
  let vivliostylePdf = '';
  if (!('skipped' in vivliostyle)) {
    const input = await writePrintFolder(article, path.join(work, 'vivliostyle'));
    vivliostylePdf = path.join(work, 'vivliostyle.pdf');
    viv = async () => {
      const result = await run(vivliostyle.bin, ['build', path.basename(input), '-o', vivliostylePdf, '--executable-browser', CHROMIUM, '--log-level', 'silent'], {
        cwd: path.dirname(input),
        timeoutMs: 600_000,
      });
      if (result.code !== 0) throw new Error(`vivliostyle build failed (${result.code}):\n${result.output}`);
    };
  }
  let skipped = 'skipped' in vivliostyle ? vivliostyle.skipped : undefined;
  let timings: Record<string, Timing>;
  try {
    timings = await interleave('cli', RUNS, viv ? { ...tasks, vivliostyle: viv } : tasks);
  } catch (error) {
    if (!viv) throw error;
    skipped = (error as Error).message.split('\n').slice(0, 3).join(' ');
    log.warn(`vivliostyle skipped: ${skipped}`);
    exitWaits.length = 0;
    timings = await interleave('cli', RUNS, tasks);
  }
  // The first entry is the warm-up run's, if there was one.
  const counted = exitWaits.slice(WARM_UP ? 1 : 0);
  const waits: Timing = { median: median(counted), runs: counted };
  const versus = timings.banmian.median / timings.floorProcess.median;
  const rows: Row[] = [
    { what: 'banmian --version (compiled CLI, process start to exit)', value: seconds(timings.startup.median), target: '≤ 0.3 s', met: timings.startup.median <= 300, note: runList(timings.startup) },
    { what: 'banmian build of an article with bad YAML (exit 1)', value: seconds(timings.failing.median), target: '≤ 0.5 s', met: timings.failing.median <= 500, note: runList(timings.failing) },
    { what: 'PDF, whole CLI (node build/bin.mjs build … --format pdf)', value: seconds(timings.banmian.median), note: `process start to exit, own browser; ${runList(timings.banmian)}` },
    { what: '  of which from "wrote …" to process exit', value: seconds(waits.median), note: runList(waits) },
    { what: 'Floor process: node + puppeteer start Chromium, print the same HTML, close', value: seconds(timings.floorProcess.median), note: runList(timings.floorProcess) },
    { what: 'banmian CLI / floor process', value: ratio(versus), note: 'Paged.js layout, no-loss check and finishing are the difference' },
  ];
  if (skipped || !timings.vivliostyle) return [...rows, { what: 'Vivliostyle CLI / banmian CLI', value: 'skipped', target: '≥ 3×', note: skipped }];
  const value = timings.vivliostyle.median / timings.banmian.median;
  return [
    ...rows,
    {
      what: 'Vivliostyle CLI (vivliostyle build, same print HTML)',
      value: seconds(timings.vivliostyle.median),
      note: `${'version' in vivliostyle ? vivliostyle.version : ''}; its own layout of the same HTML: ${await pdfPages(vivliostylePdf)} page(s); ${runList(timings.vivliostyle)}`,
    },
    { what: 'Vivliostyle CLI / banmian CLI', value: ratio(value), target: '≥ 3×', met: value >= 3 },
  ];
}

/** Builds a `copies`-fold article once and counts its pages. */
async function sizedArticle(copies: number, browser: Browser, work: string): Promise<{ article: Article; copies: number; pages: number; firstRunMs: number }> {
  const dir = path.join(work, `long-${copies}`);
  await writeLongArticle({ from: ARTICLE_DIR, to: dir, copies });
  const article = await loadArticle(dir);
  const outDir = path.join(work, `long-${copies}-out`);
  const firstRunMs = await time(() => buildPdf(pdfOptions(article, browser, outDir)));
  const pages = await pdfPages(path.join(outDir, `${article.slug}.pdf`));
  log.info(`scale: ${copies} copies of ${path.basename(ARTICLE_DIR)} → ${pages} pages in ${seconds(firstRunMs)}`);
  return { article, copies, pages, firstRunMs };
}

/** How far a sized article's pages may be from the count asked for (~10, ~100) before it is sized again (not in quick mode). */
const SIZE_SLACK = 0.1;

/**
 * 3. Per-page time of a ~100-page document against a ~10-page one. The ~10-page article is sized from the
 * default one's pages per copy, the ~100-page one from the ~10-page one's; one still more than 10 % off is
 * sized once more from its own (a copy takes fewer pages as the article grows: the plan kept for a long one
 * sets the photos a column narrower; 91 copies sized from 11 pages make 73). Each sizing build is its
 * warm-up; in quick mode it is its one timed run, and the long article is not sized again (a ~100-page build
 * more would take quick mode past 90 s on this machine): it measures per page at ~73 pages, the row says so.
 */
async function benchScale(browser: Browser, work: string): Promise<Row[]> {
  const sizedTo = async (pages: number, from: { copies: number; pages: number }) => {
    const copiesFor = (sized: { copies: number; pages: number }) => Math.max(1, Math.round((pages * sized.copies) / sized.pages));
    const first = await sizedArticle(copiesFor(from), browser, work);
    return QUICK || Math.abs(first.pages - pages) <= SIZE_SLACK * pages ? first : sizedArticle(copiesFor(first), browser, work);
  };
  const short = await sizedTo(10, await sizedArticle(1, browser, work));
  const long = await sizedTo(100, short);
  const longRuns = long.firstRunMs > LONG_RUN_LIMIT_MS ? FEW_RUNS : RUNS;
  const sized = (article: typeof short): Timing => ({ median: article.firstRunMs, runs: [article.firstRunMs] });
  const shortTiming = QUICK ? sized(short) : (await interleave('scale', RUNS, { short: () => buildPdf(pdfOptions(short.article, browser, path.join(work, 'short-out'))) }, false)).short;
  const longTiming = QUICK ? sized(long) : (await interleave('scale', longRuns, { long: () => buildPdf(pdfOptions(long.article, browser, path.join(work, 'long-out'))) }, false)).long;
  const perPage = (timing: Timing, pages: number) => timing.median / pages;
  const longPerPage = perPage(longTiming, long.pages);
  const value = longPerPage / perPage(shortTiming, short.pages);
  const fewer = QUICK ? '; the sizing build, timed' : longRuns < RUNS ? `; ${longRuns} runs only: one run took ${seconds(long.firstRunMs)}` : '';
  return [
    { what: `PDF stage, ${short.pages}-page article`, value: seconds(shortTiming.median), note: `${(perPage(shortTiming, short.pages) / 1000).toFixed(3)} s/page; ${runList(shortTiming)}${QUICK ? '; the sizing build, timed' : ''}` },
    { what: `PDF stage, ${long.pages}-page article`, value: seconds(longTiming.median), note: `${runList(longTiming)}${fewer}` },
    { what: `Per page at ${long.pages} pages`, value: `${(longPerPage / 1000).toFixed(3)} s`, target: '≤ 0.15 s', met: longPerPage <= 150 },
    { what: `Per-page time, ${long.pages} pages / ${short.pages} pages`, value: ratio(value), target: '≤ 1.2×', met: value <= 1.2 },
  ];
}

/** Articles in the many-articles build. */
const MANY = 8;

/** 4. `banmian build` of 8 articles: one at a time (--jobs 1) against the default (one per core), whole CLI. */
async function benchJobs(work: string): Promise<Row[]> {
  const inputs = path.join(work, 'many');
  for (let n = 1; n <= MANY; n++) await cp(ARTICLE_DIR, path.join(inputs, `article-${n}`), { recursive: true });
  const build = (jobs: string[]) => () => mustRun(process.execPath, ['build/bin.mjs', 'build', inputs, '--format', 'pdf', '--out', path.join(work, 'many-out'), ...jobs], PROJECT_ROOT);
  const timings = await interleave('jobs', RUNS, { one: build(['--jobs', '1']), many: build([]) });
  const speedUp = timings.one.median / timings.many.median;
  return [
    { what: `${MANY} articles, --jobs 1 (whole CLI, PDF)`, value: seconds(timings.one.median), note: runList(timings.one) },
    { what: `${MANY} articles, default --jobs ${availableParallelism()} (one per core)`, value: seconds(timings.many.median), note: runList(timings.many) },
    { what: '--jobs 1 / default', value: ratio(speedUp), note: `${availableParallelism()} cores, shared with whatever else runs` },
  ];
}

/** 5. The EPUB stage of the default article (its page map from the PDF stage, as `banmian build` hands it over). */
async function benchEpub(article: Article, pageMap: PageMap, work: string): Promise<Row[]> {
  const timings = await interleave('epub', RUNS, { epub: () => buildEpub({ article, pageMap, outDir: path.join(work, 'epub') }) });
  return [{ what: 'EPUB, in-process stage (buildEpub)', value: seconds(timings.epub.median), note: runList(timings.epub) }];
}

/** 8. Save to repaint in the preview, with the preview's own probe (server in-process, page in Chromium, a paragraph appended and saved). */
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

/**
 * 7. The press PDF (--pdfx x4: photos separated, Ghostscript, PDF/X finishing) against the proof PDF, same
 * browser: once as a first press of the article (no separated photos kept) and once as a corrected article
 * going back to press (its photos' separations kept from the run before).
 */
async function benchPress(article: Article, browser: Browser, work: string): Promise<Row[]> {
  const press = { standard: 'x4' as const, profile: await readOutputProfile(DEFAULT_OUTPUT_PROFILE), maxInk: DEFAULT_MAX_INK };
  const options = { ...pdfOptions(article, browser, path.join(work, 'press')), bleed: 3 };
  const timings = await interleave('press vs proof', RUNS, {
    proof: () => buildPdf(options),
    x4: () => buildPdf({ ...options, press }),
    x4First: async () => {
      await rm(path.join(CACHE_DIR, 'press-photos'), { recursive: true, force: true });
      return buildPdf({ ...options, press });
    },
  });
  const first = timings.x4First.median / timings.proof.median;
  const again = timings.x4.median / timings.proof.median;
  return [
    { what: 'Press PDF --pdfx x4, first press (photos separated), in-process stage', value: seconds(timings.x4First.median), note: runList(timings.x4First) },
    { what: 'Press PDF --pdfx x4, corrected article (separations kept)', value: seconds(timings.x4.median), note: runList(timings.x4) },
    { what: 'Proof PDF, same article and 3 mm bleed', value: seconds(timings.proof.median), note: runList(timings.proof) },
    { what: 'Press PDF / proof PDF, first press', value: ratio(first), target: '≤ 2×', met: first <= 2 },
    { what: 'Press PDF / proof PDF, corrected article', value: ratio(again), target: '≤ 2×', met: again <= 2 },
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

/** 9. The preview's findings after a save: from the repainted frame to the findings of that version, copyfit included (a `pages: 1` target set on a copy). */
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
    // The compiled CLI is what users run: bring it up to date first (says so when it compiles).
    await mustRun(process.execPath, ['build/compiled.mjs', '--if-stale'], PROJECT_ROOT);
    rows.push(...(await benchCli(article, WORK)));
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
    rows.push(...(await benchJobs(WORK)));
    rows.push(...(await benchEpub(article, pageMap, WORK)));
    rows.push(...(await benchPreview()));
    rows.push(...(await benchPreviewFindings()));
  } finally {
    await rm(WORK, { recursive: true, force: true });
  }
  printTable(rows);
  const how = QUICK
    ? 'Quick mode: one timed run each, no warm-ups but for the PDF stage against the floor; the scale figures time the\nbuild that sized each article; the preview\'s first page load is untimed.'
    : `Medians of ${RUNS} timed runs each (unless noted), after an untimed warm-up: one extra run; for the scale figures\nthe build that sized the article; for the preview the first page load.`;
  process.stdout.write(`\n${how} Whole bench: ${seconds(performance.now() - started)}.\n`);
}

await main();

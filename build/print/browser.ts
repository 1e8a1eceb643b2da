// Starts (or connects to) the Chromium that renders pages, lends out its pages, and guarantees it is
// released on every path: a Chromium we started is gone, every process of it, before release() resolves.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'puppeteer';
import { UserError } from '../errors.ts';
import { startChromium, type StartedChromium } from './chromium.ts';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--export-tagged-pdf',
  // Paged.js reads the print stylesheets with fetch; requests are still limited to the document's own files.
  '--allow-file-access-from-files',
  '--font-render-hinting=none',
];

/**
 * How we start Chromium ourselves: without a first window (~0.1 s sooner ready), since every page we render in
 * gets a window of its own (newWindow below); puppeteer must then not wait for that first page.
 */
export const LAUNCH_ARGS = [...CHROMIUM_ARGS, '--no-startup-window'];

/** puppeteer, loaded on first use: it is the heaviest module (~0.3 s), and most commands end before they need a browser. */
export const loadPuppeteer = (() => {
  let loading: ReturnType<typeof load> | undefined;
  const load = () => import('puppeteer');
  return () => (loading ??= load());
})();

export interface BrowserOptions {
  /** `ws://…` of an already running Chromium; it is left running afterwards. */
  endpoint?: string;
  signal?: AbortSignal;
}

export interface BrowserSession {
  browser: Browser;
  /** Closes a browser we started (and waits for all its processes), or closes our pages and disconnects from one we were given. */
  release(): Promise<void>;
}

/** The Chromium processes we started, by the browser connected to each. */
const startedChromium = new WeakMap<Browser, StartedChromium>();

/** A Chromium we started shares our file system; one reached through an endpoint may run anywhere. */
export const isLocal = (browser: Browser) => startedChromium.has(browser);

export async function openBrowser({ endpoint, signal }: BrowserOptions): Promise<BrowserSession> {
  signal?.throwIfAborted();
  const executablePath = process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';
  // Started before puppeteer is loaded, so that the two happen at once (see chromium.ts).
  const chromium = endpoint ? undefined : startChromium(executablePath, LAUNCH_ARGS);
  let browser: Browser;
  try {
    const { default: puppeteer } = await loadPuppeteer();
    if (chromium) {
      browser = await Promise.race([puppeteer.connect({ transport: chromium.transport }), chromium.failed]);
      chromium.connected();
      startedChromium.set(browser, chromium);
    } else browser = await puppeteer.connect({ browserWSEndpoint: endpoint });
  } catch (error) {
    if (chromium) {
      await killGroup(chromium.process.pid);
      chromium.forget();
    }
    throw new UserError(
      endpoint ? `cannot connect to the browser at ${endpoint}: ${(error as Error).message}` : `cannot start Chromium (${executablePath}): ${(error as Error).message.split('\n')[0]}`,
      {
        hint: endpoint
          ? 'Check that the browser runs with --remote-debugging-port (or is a browserless container) and that the ws:// address and its token are current.'
          : 'Run ./scripts/setup.sh to install Debian\'s chromium, or set PUPPETEER_EXECUTABLE_PATH to a Chromium binary.',
        cause: error,
      },
    );
  }
  // Released once, whoever asks first (an interrupt, then the build's own end): the second waits for the first.
  let released: Promise<void> | undefined;
  const release = () => (released ??= endpoint ? disconnect(browser) : closeHard(browser));
  const onAbort = () => void release();
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    browser,
    release: async () => {
      signal?.removeEventListener('abort', onAbort);
      await release();
    },
  };
}

/**
 * Pages handed back after a render, ready for the next one. A page that stays open keeps its renderer,
 * and with it the fonts and scripts it has already loaded and decoded, so later renders skip that work.
 */
const idlePages = new WeakMap<Browser, Set<Page>>();

/** A page being opened ahead of the first render (preparePage), which borrowPage waits for. */
const preparing = new WeakMap<Browser, Promise<void>>();

/**
 * Opens a page and makes it ready with `setUp` ahead of the first render: a fresh Chromium takes ~0.2 s to
 * open its first window, which then passes while the caller does other work (the build checks glyphs and
 * loads the PDF stage). A failure here is left for the render, which opens a page of its own.
 */
export function preparePage(browser: Browser, setUp: (page: Page) => Promise<void>): void {
  preparing.set(browser, newWindow(browser).then(async (page) => {
    await setUp(page);
    returnPage(browser, page);
  }).catch(() => undefined));
}

/** An idle page of `browser`, or a new one made ready by `setUp`. */
export async function borrowPage(browser: Browser, setUp: (page: Page) => Promise<void>): Promise<Page> {
  await preparing.get(browser);
  const idle = idlePages.get(browser);
  const page = idle?.values().next().value;
  if (page) {
    idle!.delete(page);
    // A tab opened since (puppeteer's newPage) lands in this page's window and hides it; a hidden page gets no
    // rendering, and waits on its frames never end. In front, it renders again.
    await page.bringToFront();
    return page;
  }
  const created = await newWindow(browser);
  await setUp(created);
  return created;
}

/**
 * A page in a window of its own. Pages opened as tabs of one window are hidden but for the front one, and a
 * hidden page gets no animation frames, so Paged.js would stall in every page but one of a pool.
 */
async function newWindow(browser: Browser): Promise<Page> {
  // puppeteer would send to a closed connection and wait its protocol timeout (180 s) for the answer.
  if (!browser.isConnected()) throw new Error('the browser was closed');
  const url = `about:blank#${randomUUID()}`;
  const session = await browser.target().createCDPSession();
  try {
    // No timer of its own (its 30 s would keep an interrupted build waiting): it ends with the window or the browser.
    const [target] = await Promise.race([
      Promise.all([
        browser.waitForTarget((candidate) => candidate.url() === url, { timeout: 0 }),
        session.send('Target.createTarget', { url, newWindow: true }),
      ]),
      disconnected(browser),
    ]);
    const page = await target.page();
    if (!page) throw new Error(`Chromium opened ${url} but it is not a page`);
    return page;
  } finally {
    await session.detach().catch(() => undefined);
  }
}

/** Rejects once `browser` is closed or disconnected. */
function disconnected(browser: Browser): Promise<never> {
  return new Promise((_, reject) => {
    const gone = () => reject(new Error('the browser was closed'));
    if (!browser.isConnected()) gone();
    else browser.once('disconnected', gone);
  });
}

/** Gives a page back after a render that went well; after a failure, close it instead. */
export function returnPage(browser: Browser, page: Page): void {
  if (page.isClosed()) return;
  let idle = idlePages.get(browser);
  if (!idle) idlePages.set(browser, (idle = new Set()));
  idle.add(page);
}

async function closeIdlePages(browser: Browser): Promise<void> {
  const idle = idlePages.get(browser);
  idlePages.delete(browser);
  await Promise.all([...(idle ?? [])].map((page) => page.close().catch(() => undefined)));
}

/** Someone else's browser keeps running, without the pages we opened in it. */
async function disconnect(browser: Browser): Promise<void> {
  await closeIdlePages(browser);
  await browser.disconnect();
}

/**
 * Close politely, then make sure nothing of it is left: the main process may end before its zygote and
 * renderers. Chromium runs in its own process group (chromium.ts starts it detached), so the whole group is
 * killed and awaited, and then its profile removed.
 */
async function closeHard(browser: Browser): Promise<void> {
  idlePages.delete(browser);
  const chromium = startedChromium.get(browser);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([browser.close().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, 3000)))]);
  clearTimeout(timer);
  if (!chromium) return;
  await killGroup(chromium.process.pid);
  chromium.forget();
}

/** Longest wait for a killed process group to be gone (they go within milliseconds). */
const GROUP_EXIT_MS = 5000;

async function killGroup(group: number | undefined): Promise<void> {
  if (group === undefined || !groupRuns(group)) return;
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    // Gone in the meantime.
  }
  for (const start = Date.now(); groupRuns(group) && Date.now() - start < GROUP_EXIT_MS;) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * Whether a process of `group` still runs. A killed renderer whose parent has exited is adopted by PID 1 and
 * stays a zombie until PID 1 reaps it — at once under systemd, only every second or two under some container
 * inits — but a zombie has already ended: it holds no memory, no files, nothing but its exit status. So on
 * Linux a group whose members are all zombies is gone (/proc/<pid>/stat: state, then parent, then group).
 */
function groupRuns(group: number): boolean {
  try {
    process.kill(-group, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    } catch {
      continue;
    }
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === group && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

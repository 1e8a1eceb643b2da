// Starts (or connects to) the Chromium that renders pages, lends out its pages, and guarantees it is
// released on every path: a Chromium we started is gone, every process of it, before release() resolves.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'puppeteer';
import { UserError } from '../errors.ts';

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

/** A Chromium we started shares our file system; one reached through an endpoint may run anywhere. */
export const isLocal = (browser: Browser) => browser.process() !== null;

export async function openBrowser({ endpoint, signal }: BrowserOptions): Promise<BrowserSession> {
  signal?.throwIfAborted();
  const executablePath = process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';
  let browser: Browser;
  try {
    const { default: puppeteer } = await loadPuppeteer();
    browser = endpoint
      ? await puppeteer.connect({ browserWSEndpoint: endpoint })
      : await puppeteer.launch({ executablePath, headless: 'new', args: LAUNCH_ARGS, waitForInitialPage: false, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
  } catch (error) {
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
  const release = endpoint ? () => disconnect(browser) : () => closeHard(browser);
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

/** An idle page of `browser`, or a new one made ready by `setUp`. */
export async function borrowPage(browser: Browser, setUp: (page: Page) => Promise<void>): Promise<Page> {
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
  const url = `about:blank#${randomUUID()}`;
  const session = await browser.target().createCDPSession();
  try {
    const [target] = await Promise.all([
      browser.waitForTarget((candidate) => candidate.url() === url),
      session.send('Target.createTarget', { url, newWindow: true }),
    ]);
    const page = await target.page();
    if (!page) throw new Error(`Chromium opened ${url} but it is not a page`);
    return page;
  } finally {
    await session.detach().catch(() => undefined);
  }
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
 * Close politely, then make sure nothing of it is left: puppeteer only waits for Chromium's main process,
 * while its zygote and renderers may outlive it. Chromium runs in its own process group (puppeteer starts it
 * detached), so the whole group is killed and awaited.
 */
async function closeHard(browser: Browser): Promise<void> {
  idlePages.delete(browser);
  const group = browser.process()?.pid;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([browser.close().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, 3000)))]);
  clearTimeout(timer);
  if (group) await killGroup(group);
}

/** Longest wait for a killed process group to be gone (they go within milliseconds). */
const GROUP_EXIT_MS = 5000;

async function killGroup(group: number): Promise<void> {
  if (!groupRuns(group)) return;
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

// Starts (or connects to) the Chromium that renders pages, lends out its pages, and guarantees it is
// released on every path: a Chromium we started is gone, every process of it, before release() resolves.
import { randomUUID } from 'node:crypto';
import type { Browser, CDPSession, Page } from 'puppeteer';
import { UserError } from '../errors.ts';
import { chromiumPath, startChromium, type StartedChromium } from './chromium.ts';

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
  // Started before puppeteer is loaded, so that the two happen at once (see chromium.ts).
  const chromium = endpoint ? undefined : startChromium();
  let browser: Browser;
  try {
    const { default: puppeteer } = await loadPuppeteer();
    if (chromium) {
      browser = await Promise.race([puppeteer.connect({ transport: chromium.transport }), chromium.failed]);
      chromium.connected();
      startedChromium.set(browser, chromium);
      // The window Chromium opened as it started: the first render's page.
      // Made a page while connected: puppeteer sends a closed connection its commands and waits 180 s for answers.
      startupPages.set(browser, whileConnected(browser, browser.waitForTarget((target) => target.type() === 'page', { timeout: 0 }).then((target) => target.page())).catch(() => null));
    } else browser = await puppeteer.connect({ browserWSEndpoint: endpoint });
  } catch (error) {
    await chromium?.stop();
    throw new UserError(
      endpoint ? `cannot connect to the browser at ${endpoint}: ${(error as Error).message}` : `cannot start Chromium (${chromiumPath()}): ${(error as Error).message.split('\n')[0]}`,
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

/** The page of the window a Chromium we started opened with it, until a render takes it. */
const startupPages = new WeakMap<Browser, Promise<Page | null>>();

/**
 * An idle page of `browser`, or a new one made ready by `setUp`; lent hidden (hidePage: it renders nothing while
 * it paginates, plans and prints). It stays hidden when it comes back (returnPage), until someone shows it for
 * a screenshot (the preview's thumbnails).
 */
export async function borrowPage(browser: Browser, setUp: (page: Page) => Promise<void>): Promise<Page> {
  const page = await takePage(browser, setUp);
  await hidePage(page, true);
  return page;
}

async function takePage(browser: Browser, setUp: (page: Page) => Promise<void>): Promise<Page> {
  const startup = startupPages.get(browser);
  startupPages.delete(browser);
  const first = await startup;
  if (first) await setUp(first);
  const idle = idlePages.get(browser);
  const page = first ?? idle?.values().next().value;
  if (page) {
    idle?.delete(page);
    return page;
  }
  const created = await newWindow(browser);
  await setUp(created);
  return created;
}

/**
 * A page in a window of its own. Pages opened as tabs of one window are hidden but for the front one, and
 * every page of a pool must be able to be shown on its own (hidePage), for a screenshot.
 */
async function newWindow(browser: Browser): Promise<Page> {
  // puppeteer would send to a closed connection and wait its protocol timeout (180 s) for the answer.
  if (!browser.isConnected()) throw new Error('the browser was closed');
  const url = `about:blank#${randomUUID()}`;
  const session = await browser.target().createCDPSession();
  try {
    // No timer of its own (its 30 s would keep an interrupted build waiting): it ends with the window or the browser.
    const [target] = await whileConnected(browser, Promise.all([
      browser.waitForTarget((candidate) => candidate.url() === url, { timeout: 0 }),
      session.send('Target.createTarget', { url, newWindow: true }),
    ]));
    const page = await whileConnected(browser, target.page());
    if (!page) throw new Error(`Chromium opened ${url} but it is not a page`);
    return page;
  } finally {
    await session.detach().catch(() => undefined);
  }
}

/** `work`, or a rejection once `browser` is closed or disconnected, whichever comes first. */
export async function whileConnected<T>(browser: Browser, work: Promise<T>): Promise<T> {
  let gone = () => {};
  const closed = new Promise<never>((_, reject) => {
    gone = () => reject(new Error('the browser was closed'));
  });
  if (!browser.isConnected()) gone();
  else browser.once('disconnected', gone);
  try {
    return await Promise.race([work, closed]);
  } finally {
    browser.off('disconnected', gone);
  }
}

/** Each page's window, and a session to change it by, made once. */
const windows = new WeakMap<Page, Promise<{ session: CDPSession; windowId: number } | undefined>>();

/** Whether each page's window was last minimised (hidePage asks only for a change). */
const hiddenPages = new WeakMap<Page, boolean>();

/**
 * Hides a page (its window minimised) or shows it again. A page shown renders a frame whenever its layout
 * changed: while Paged.js paginates, between its steps, each page is laid out and painted once more for
 * nothing (0.5–0.7 s of a 73-page article's PDF stage); hidden, the page lays out only what its scripts ask
 * for, and prints the same. A screenshot needs it shown. A browser with no windows to minimise (its DevTools
 * refuse) leaves the page as it is: only slower.
 */
export async function hidePage(page: Page, hidden: boolean): Promise<void> {
  if (hiddenPages.get(page) === hidden) return;
  hiddenPages.set(page, hidden);
  // A tab opened since (puppeteer's newPage) lands in this page's window and hides it: shown again, the page
  // would still be behind it, and a screenshot of it (the preview's thumbnails) would never end.
  if (!hidden) await page.bringToFront();
  let window = windows.get(page);
  if (!window) {
    // An interrupt may have closed the browser meanwhile: puppeteer sends it the command anyway and waits its
    // protocol timeout (180 s) for the answer, which kept an interrupted build from exiting.
    if (!page.browser().isConnected()) return;
    window = (async () => {
      const session = await page.target().createCDPSession();
      const { windowId } = await session.send('Browser.getWindowForTarget');
      return { session, windowId };
    })().catch(() => undefined);
    windows.set(page, window);
  }
  const found = await window;
  await found?.session.send('Browser.setWindowBounds', { windowId: found.windowId, bounds: { windowState: hidden ? 'minimized' : 'normal' } }).catch(() => undefined);
}

/** How long a page closed after a failed render may take to go before the build goes on without waiting (closePage). */
const CLOSE_WAIT_MS = 2000;

/**
 * Closes a page after a failed render. puppeteer's close never ends for a page closed while its document was
 * loading (a render timed out early): after a while the build goes on, and releasing the browser ends the page
 * (ours is closed, every process of it; one reached through an endpoint is left, with its pages closed).
 */
export async function closePage(page: Page): Promise<void> {
  // A closed browser has closed its pages (puppeteer would send the close anyway, and never hear back).
  if (!page.browser().isConnected()) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([page.close().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))]);
  clearTimeout(timer);
}

/** Gives a page back after a render that went well; after a failure, close it instead (closePage). */
export function returnPage(browser: Browser, page: Page): void {
  if (page.isClosed()) return;
  let idle = idlePages.get(browser);
  if (!idle) idlePages.set(browser, (idle = new Set()));
  idle.add(page);
}

async function closeIdlePages(browser: Browser): Promise<void> {
  const idle = idlePages.get(browser);
  idlePages.delete(browser);
  await Promise.all([...(idle ?? [])].map(closePage));
}

/** Someone else's browser keeps running, without the pages we opened in it. */
async function disconnect(browser: Browser): Promise<void> {
  await closeIdlePages(browser);
  await browser.disconnect();
}

/** Close politely, then make sure nothing of it is left (chromium.ts: every process of its group, its profile). */
async function closeHard(browser: Browser): Promise<void> {
  idlePages.delete(browser);
  const chromium = startedChromium.get(browser);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([browser.close().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, 3000)))]);
  clearTimeout(timer);
  await chromium?.stop();
}


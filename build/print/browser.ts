// Starts (or connects to) the Chromium that renders pages, and guarantees it is released on every path.
import puppeteer, { type Browser } from 'puppeteer';
import { UserError } from '../errors.ts';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--export-tagged-pdf',
  // Paged.js reads the print stylesheets with XHR; requests are still limited to the project's files.
  '--allow-file-access-from-files',
  '--font-render-hinting=none',
];

export interface BrowserOptions {
  /** `ws://…` of an already running Chromium; it is left running afterwards. */
  endpoint?: string;
  signal?: AbortSignal;
}

export interface BrowserSession {
  browser: Browser;
  /** Closes a browser we started, or disconnects from one we were given. */
  release(): Promise<void>;
}

export async function openBrowser({ endpoint, signal }: BrowserOptions): Promise<BrowserSession> {
  signal?.throwIfAborted();
  const executablePath = process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';
  let browser: Browser;
  try {
    browser = endpoint
      ? await puppeteer.connect({ browserWSEndpoint: endpoint })
      : await puppeteer.launch({ executablePath, headless: 'new', args: CHROMIUM_ARGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
  } catch (error) {
    throw new UserError(
      endpoint ? `cannot connect to the browser at ${endpoint}: ${(error as Error).message}` : `cannot start Chromium (${executablePath}): ${(error as Error).message.split('\n')[0]}`,
      {
        hint: endpoint
          ? 'Check that the browser runs with --remote-debugging-port and that the ws:// address is current.'
          : 'Run ./scripts/setup.sh to install Debian\'s chromium, or set PUPPETEER_EXECUTABLE_PATH to a Chromium binary.',
        cause: error,
      },
    );
  }
  const release = endpoint ? () => browser.disconnect() : () => closeHard(browser);
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

/** Close politely, but never leave the process behind if Chromium does not answer. */
async function closeHard(browser: Browser): Promise<void> {
  const child = browser.process();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([browser.close().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, 3000)))]);
  clearTimeout(timer);
  if (child && child.exitCode === null) child.kill('SIGKILL');
}

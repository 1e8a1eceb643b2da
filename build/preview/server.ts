// The proofreading preview: serves the paginated article on loopback, re-renders on save, and pushes each new state to the page;
// its own Chromium checks each version (copyfit), makes the proof PDF and the thumbnails.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { watch } from 'chokidar';
import { WebSocketServer, type WebSocket } from 'ws';
import { checkArticle } from '../check/check.ts';
import type { Finding } from '../check/types.ts';
import { UserError } from '../errors.ts';
import { log, timed } from '../log.ts';
import type { Article } from '../model/load.ts';
import { openBrowser, type BrowserSession } from '../print/browser.ts';
import { PAGED_POLYFILL, PROJECT_ROOT } from '../print/document.ts';
import { buildPdf } from '../print/pdf.ts';
import { PRESETS, type PresetName } from '../print/presets.ts';
import { resolveServedFile, sendFile, type Mounts } from './files.ts';
import { renderPreviewDocument } from './render.ts';
import { renderShell } from './shell.ts';
import { pageThumbnails } from './thumbnails.ts';

const HOST = '127.0.0.1';
/** Quiet time after the findings before the thumbnails are made, so that a run of saves makes none. */
const THUMBNAIL_DELAY_MS = 2000;
/** Internal routes live under this prefix; the project's files under /article/ and /project/. */
const INTERNAL = '/__banmian';
const ROUTES: Record<string, string> = {
  [`${INTERNAL}/preview.js`]: path.join(PROJECT_ROOT, 'build/preview/client.js'),
  [`${INTERNAL}/frame.js`]: path.join(PROJECT_ROOT, 'build/preview/frame.js'),
  [`${INTERNAL}/preview.css`]: path.join(PROJECT_ROOT, 'styles/preview.css'),
  [`${INTERNAL}/paged.polyfill.js`]: PAGED_POLYFILL,
};

export interface PreviewOptions {
  /** The article: a Markdown file, or a folder holding article.md. */
  dir: string;
  /** 0 picks a free port. */
  port: number;
  preset: PresetName;
  /** Quiet time after the last file event before re-rendering, so a burst of saves gives one render. */
  debounceMs?: number;
  signal?: AbortSignal;
}

export interface PreviewServer {
  url: string;
  port: number;
  /** Stops watching, closes every socket and the listener. */
  close(): Promise<void>;
}

/** Everything the page needs to draw the panel; sent on connect and after every render. */
export interface PreviewState {
  /** Counts good renders; the page loads `document.html?v=<version>` when it grows. */
  version: number;
  article?: {
    file: string;
    title: string;
    /** The copyfit target from the front matter, in pages. */
    pagesTarget?: number;
    /** The article file's lines, so the panel can quote the one clicked. */
    lines: string[];
  };
  /** The last render failed: the page keeps the previous pages and shows this. */
  error?: { file?: string; line?: number; message: string; hint?: string };
  /** The findings of `banmian check` for `version` (copyfit included when the front matter sets `pages`). */
  findings: { status: 'pending' | 'done' | 'failed'; items: Finding[]; message?: string };
  /** Pictures of the pages of `version`, made after its check: served at /__banmian/thumbnail/<version>/<page>.jpg. */
  thumbnails?: { version: number; count: number };
}

/**
 * Starts the preview of one article folder and resolves once it listens and watches.
 *
 * @example
 * const preview = await startPreview({ dir: 'manuscript/changsha-manufacturing-2025', port: 0, preset: 'broadsheet' });
 * console.log(preview.url); // http://127.0.0.1:41234/
 * await preview.close();
 */
export async function startPreview(options: PreviewOptions): Promise<PreviewServer> {
  // The article is a Markdown file or a folder holding article.md; its folder is served and watched.
  const articlePath = path.resolve(options.dir);
  const dir = (await stat(articlePath)).isFile() ? path.dirname(articlePath) : articlePath;
  // path.resolve drops PROJECT_ROOT's trailing slash, so `startsWith(root + sep)` below sees files as inside it.
  const mounts: Mounts = { article: dir, project: path.resolve(PROJECT_ROOT) };
  /** Files outside both folders that the document itself refers to (e.g. a Debian font): served under a key, and only those. */
  const outsideAssets = new Map<string, string>();
  const assetUrl = (file: string): string => {
    for (const [mount, root] of Object.entries(mounts)) {
      if (file.startsWith(root + path.sep)) return `/${mount}/${path.relative(root, file).split(path.sep).map(encodeURIComponent).join('/')}`;
    }
    const url = `${INTERNAL}/asset/${createHash('sha256').update(file).digest('hex').slice(0, 16)}/${encodeURIComponent(path.basename(file))}`;
    outsideAssets.set(url, file);
    return url;
  };

  // Paths as the editor knows them: from the working directory when the article is inside it, else from the
  // folder that holds the article (never `../../tmp/…`).
  const cwd = process.cwd();
  const base = dir.startsWith(cwd + path.sep) ? cwd : path.dirname(dir);
  const display = (file: string) => path.relative(base, path.resolve(file));

  // One Chromium for the preview's own work: copyfit, the proof PDF and the thumbnails. Started with the preview,
  // so it is warm when the first check runs; started again if it goes away.
  let closed = false;
  let session: Promise<BrowserSession> | undefined;
  const browser = async () => {
    if (closed) throw new Error('the preview has stopped');
    session ??= openBrowser({}).then((opened) => {
      opened.browser.once('disconnected', () => {
        session = undefined;
      });
      return opened;
    });
    session.catch(() => {
      session = undefined;
    });
    return (await session).browser;
  };
  void browser().catch((error: unknown) => log.warn(`preview: ${(error as Error).message}`));

  let state: PreviewState = { version: 0, findings: { status: 'pending', items: [] } };
  /** The article of the version on screen, for the proof PDF. */
  let current: Article | undefined;
  const thumbnails = new Map<string, Buffer>();
  let documentHtml = '';
  let title = path.basename(dir);
  let port = options.port;
  const allowedHosts = () => [`${HOST}:${port}`, `localhost:${port}`];

  const sockets = new WebSocketServer({ noServer: true });
  const broadcast = () => {
    const message = JSON.stringify({ type: 'state', state });
    for (const socket of sockets.clients) socket.send(message);
  };

  // The check (with copyfit, a pagination in the preview's warm Chromium) starts with each render, alongside the
  // page's own pagination, so its findings arrive about when the new pages do; a newer render cancels it.
  let checking: { controller: AbortController; done: Promise<void> } | undefined;
  const runCheck = (version: number) => {
    if (closed) return;
    checking?.controller.abort();
    const controller = new AbortController();
    const done = browser()
      .then((opened) => checkArticle({ dir: articlePath, preset: options.preset, signal: controller.signal, browser: opened }))
      .then(({ findings }) => ({ status: 'done' as const, items: findings.map((finding) => ({ ...finding, file: display(finding.file) })) }))
      .catch((error: unknown) => ({ status: 'failed' as const, items: [], message: error instanceof UserError ? error.format() : String((error as Error).message) }))
      .then(async (findings) => {
        if (controller.signal.aborted || state.version !== version) return;
        state = { ...state, findings };
        broadcast();
        // Then, once the editor has stopped saving for a moment, the pictures for the thumbnails strip.
        const article = current;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, THUMBNAIL_DELAY_MS);
          controller.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve();
          }, { once: true });
        });
        if (!article || controller.signal.aborted || state.version !== version) return;
        // No pictures is no loss: the strip keeps its numbered tiles.
        const pictures = await browser()
          .then((opened) => pageThumbnails({ article, preset: PRESETS[options.preset], browser: opened, signal: controller.signal }))
          .catch(() => []);
        if (controller.signal.aborted || state.version !== version || !pictures.length) return;
        thumbnails.clear();
        pictures.forEach((picture, index) => thumbnails.set(`${version}/${index + 1}`, picture));
        state = { ...state, thumbnails: { version, count: pictures.length } };
        broadcast();
      });
    checking = { controller, done };
  };

  const renderOnce = async () => {
    try {
      const { article, html } = await timed(`render ${path.relative(process.cwd(), dir) || dir}`, () =>
        renderPreviewDocument({ dir: articlePath, preset: options.preset, assetUrl, pagedUrl: `${INTERNAL}/paged.polyfill.js`, frameScriptUrl: `${INTERNAL}/frame.js` }));
      // The findings in progress are for text that is gone.
      checking?.controller.abort();
      documentHtml = html;
      current = article;
      title = article.frontMatter.title;
      state = {
        version: state.version + 1,
        article: { file: display(article.file), title, pagesTarget: article.frontMatter.pages, lines: article.source.split('\n') },
        findings: { status: 'pending', items: [] },
      };
      broadcast();
      const version = state.version;
      runCheck(version);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      log.error(error.format());
      state = { ...state, error: { file: error.file && display(error.file), line: error.line, message: error.message, hint: error.hint } };
      broadcast();
    }
  };

  // One render at a time: saves that land during a render ask for one more, never a queue.
  let running: Promise<void> | undefined;
  let again = false;
  const requestRender = (): void => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = renderOnce()
      .catch((error: unknown) => {
        log.error(`preview render failed: ${(error as Error).stack ?? error}`);
      })
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          requestRender();
        }
      });
  };
  await renderOnce();

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    if (!allowedHosts().includes(request.headers.host ?? '')) return response.writeHead(403).end('Forbidden: the preview answers to 127.0.0.1 only.\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return response.writeHead(405, { Allow: 'GET, HEAD' }).end();
    const url = request.url ?? '';
    const pathname = url.split(/[?#]/, 1)[0];
    const page = (html: string) => {
      response.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        // Only the preview's own scripts run: nothing from the manuscript, nothing inline.
        'Content-Security-Policy': "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'",
      });
      response.end(request.method === 'HEAD' ? undefined : html);
    };
    if (pathname === '/favicon.ico') return response.writeHead(204).end();
    if (pathname === '/') return page(renderShell({ title, stylesheetUrl: `${INTERNAL}/preview.css`, scriptUrl: `${INTERNAL}/preview.js` }));
    if (pathname === `${INTERNAL}/document.html`) {
      if (!state.version) return response.writeHead(404).end();
      return page(documentHtml);
    }
    if (pathname === `${INTERNAL}/proof.pdf`) return sendProof(response);
    const picture = pathname.startsWith(`${INTERNAL}/thumbnail/`) && thumbnails.get(pathname.slice(`${INTERNAL}/thumbnail/`.length).replace(/\.jpg$/, ''));
    if (picture) {
      response.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': picture.length, 'Cache-Control': 'no-store' });
      return response.end(request.method === 'HEAD' ? undefined : picture);
    }
    const file = ROUTES[pathname] ?? outsideAssets.get(pathname) ?? (await resolveServedFile(url, mounts));
    if (!file) return response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    await sendFile(request, response, file);
  };

  /** Ends the check in progress and releases the preview's Chromium. */
  const stopBrowserWork = async () => {
    checking?.controller.abort();
    await checking?.done;
    await session?.then((opened) => opened.release(), () => undefined);
  };

  /** The PDF of the version on screen, made as `banmian build` makes it, in the preview's browser. */
  const sendProof = async (response: ServerResponse) => {
    const article = current;
    if (state.error || !article) {
      response.writeHead(409, { 'Content-Type': 'text/plain; charset=utf-8' }).end('原稿有错误，修好后再下载校样。\n');
      return;
    }
    const work = await mkdtemp(path.join(tmpdir(), 'banmian-proof-'));
    try {
      const { file } = await timed(`proof ${article.slug}`, async () => buildPdf({ article, preset: PRESETS[options.preset], cropMarks: false, bleed: 0, outDir: work, browser: await browser() }));
      const pdf = await readFile(file);
      response.writeHead(200, {
        'Content-Type': 'application/pdf',
        'Content-Length': pdf.length,
        'Content-Disposition': `attachment; filename="${article.slug.replace(/[^\w.-]/g, '_')}.pdf"; filename*=UTF-8''${encodeURIComponent(article.slug)}.pdf`,
        'Cache-Control': 'no-store',
      });
      response.end(pdf);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  };

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log.error(`preview: ${request.url}: ${(error as Error).message}`);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const origin = request.headers.origin ?? '';
    const local = allowedHosts().includes(request.headers.host ?? '') && allowedHosts().some((host) => origin === `http://${host}`);
    if (request.url !== `${INTERNAL}/events` || !local) {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client: WebSocket) => {
      client.send(JSON.stringify({ type: 'state', state }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE'
        ? new UserError(`port ${options.port} is already in use`, { hint: 'Stop whatever is listening there, or pass another --port (0 picks a free one).' })
        : error);
    });
    server.listen(options.port, HOST, () => resolve());
  }).catch(async (error: unknown) => {
    // No preview after all: the check and the browser it started go too, or the process would not exit.
    closed = true;
    await stopBrowserWork();
    throw error;
  });
  port = (server.address() as { port: number }).port;

  let timer: NodeJS.Timeout | undefined;
  const watcher = watch([dir, path.join(PROJECT_ROOT, 'styles')], {
    ignoreInitial: true,
    // Editors' swap and backup files are not the manuscript.
    ignored: (file: string) => /^\.|~$/.test(path.basename(file)) && file !== dir,
  });
  watcher.on('all', () => {
    clearTimeout(timer);
    timer = setTimeout(requestRender, options.debounceMs ?? 150);
  });
  await new Promise<void>((resolve, reject) => watcher.once('ready', resolve).once('error', reject));

  const close = async () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    await watcher.close();
    for (const client of sockets.clients) client.terminate();
    sockets.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await running;
    await stopBrowserWork();
  };
  options.signal?.addEventListener('abort', () => void close(), { once: true });
  return { url: `http://${HOST}:${port}/`, port, close };
}

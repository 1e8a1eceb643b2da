// What a print page may load, and where the bytes come from. Every request of the page goes through DevTools
// request interception and is checked against the render's manifest: the document itself (sent from here,
// never written to disk) and the files it references — nothing else loads. A Chromium we started reads
// those files from disk itself (file: URLs), the cut faces from the cache where they are kept; a remote one
// (--browser-endpoint) cannot see our disk, so the files and the cut faces are sent to it over the DevTools
// connection, under an http origin of their own. Same document, same fonts and photos, same PDF bytes.
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HTTPRequest, Page } from 'puppeteer';
import { isLocal } from './browser.ts';

/** The origin of documents and files sent to a remote browser; `.invalid` never resolves, nothing leaves the connection. */
const REMOTE_ORIGIN = 'http://banmian.invalid';

/** Types of the files a print page loads. */
export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
};

export interface Manifest {
  /** URL the document is loaded from. */
  documentUrl: string;
  html: string;
  /** URL → absolute path of every file the document may load. */
  files: Map<string, string>;
  /** URL → bytes made for this document (cut faces, the plan's variant), sent from here. */
  made: Map<string, { type: string; bytes: Uint8Array }>;
  /** What the URLs of the files and made bytes start with: file:// for a Chromium we started, else REMOTE_ORIGIN. */
  base: string;
}

/** Puts bytes made for a document in `made` under their URL (`name`, a content key, under `base`); returns the URL. */
function putMade(made: Manifest['made'], base: string, name: string, bytes: Uint8Array): string {
  const url = `${base}/banmian-made/${name}`;
  made.set(url, { type: CONTENT_TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream', bytes });
  return url;
}

/** Collects the files a document references while it is written, and names their URLs. */
export class ManifestBuilder {
  readonly files = new Map<string, string>();
  readonly made = new Map<string, { type: string; bytes: Uint8Array }>();
  private readonly base: string;

  constructor(local: boolean) {
    this.base = local ? 'file://' : REMOTE_ORIGIN;
  }

  /**
   * The URL of `file` for the page; `file` may then be loaded. The URL carries the file's size and time, so
   * a page reused after the file changed (the preview's proofs) loads it again instead of its cached copy.
   */
  url = (file: string): string => {
    const stats = statSync(file, { throwIfNoEntry: false });
    const url = `${this.base}${pathToFileURL(file).pathname}${stats ? `?v=${stats.size}-${Math.trunc(stats.mtimeMs)}` : ''}`;
    this.files.set(url, file);
    return url;
  };

  /** The URL of bytes made for the document, named `name` (a content key: a reused page keeps what it loaded). */
  add(name: string, bytes: Uint8Array): string {
    return putMade(this.made, this.base, name, bytes);
  }

  /** The finished manifest; `documentFile` only names the document's URL, nothing is read from or written there. */
  build(documentFile: string, html: string): Manifest {
    return { documentUrl: this.base + pathToFileURL(documentFile).pathname, html, files: this.files, made: this.made, base: this.base };
  }
}

/** The manifest each page is rendering now (pages are reused, one render at a time). */
const current = new WeakMap<Page, Manifest>();

/** Sets a new page up to answer its requests from its current manifest. */
export async function interceptRequests(page: Page): Promise<void> {
  const local = isLocal(page.browser());
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    answer(request, current.get(page), local).catch(() => undefined);
  });
}

async function answer(request: HTTPRequest, manifest: Manifest | undefined, local: boolean): Promise<void> {
  const url = request.url();
  if (url.startsWith('data:')) return request.continue();
  if (manifest && url === manifest.documentUrl) {
    return request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: manifest.html });
  }
  const made = manifest?.made.get(url);
  if (made) return request.respond({ status: 200, contentType: made.type, headers: { 'cache-control': 'max-age=3600' }, body: Buffer.from(made.bytes) });
  const file = manifest?.files.get(url);
  if (!file) return request.abort('blockedbyclient');
  if (local) return request.continue();
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return request.abort('failed');
  }
  // The page keeps fonts, styles and scripts for its next render (files do not change within a session).
  return request.respond({
    status: 200,
    contentType: CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    headers: { 'cache-control': 'max-age=3600' },
    body,
  });
}

/**
 * Serves `text` to the render now in `page` under a URL of its own (`name`, not used before by the page), and
 * returns the URL: the page reads it with a request, through the browser's network path. Handed to the page as
 * a DevTools value instead, a long article's planned HTML (1.5 M characters) took its renderer ~0.3 s to read.
 */
export function serveText(page: Page, name: string, text: string): string {
  const manifest = current.get(page);
  if (!manifest) throw new Error('the page renders no document');
  return putMade(manifest.made, manifest.base, name, Buffer.from(text));
}

/**
 * Loads the manifest's document in `page`; resolves once it is parsed. No timer of its own: the render's
 * timeout bounds it (pdf.ts). puppeteer's navigation timer, firing while the document loaded, also rejected a
 * promise nobody waited on: the process ended there with a trace, its Chromium left running.
 */
export async function loadDocument(page: Page, manifest: Manifest): Promise<void> {
  current.set(page, manifest);
  await page.goto(manifest.documentUrl, { waitUntil: 'domcontentloaded', timeout: 0 });
}

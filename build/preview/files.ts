// The preview's file serving: maps a request path onto a file inside one of the served folders, and refuses everything else.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { CONTENT_TYPES as PRINT_CONTENT_TYPES } from '../print/serve.ts';

/** URL prefix (one path segment) → the folder it serves. */
export type Mounts = Record<string, string>;

/** The print page's types, and what else the preview serves (its own page, the Markdown source). */
const CONTENT_TYPES: Record<string, string> = {
  ...PRINT_CONTENT_TYPES,
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff': 'font/woff',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
};

function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The real path of the file that `rawPath` (the request target exactly as received, before any
 * normalisation) names under one of the mounts, or undefined. Each segment is decoded on its own,
 * so `%2e%2e` and `%2f` are judged after decoding; dot segments, empty segments (`//etc`),
 * hidden names (`.git`), directories, and symlinks whose target lies outside the mount are refused.
 *
 * @example
 * await resolveServedFile('/article/images/01.jpg', { article: '/work/manuscript/a' }); // '/work/manuscript/a/images/01.jpg'
 * await resolveServedFile('/article/%2e%2e/%2e%2e/etc/passwd', { article: '/work/manuscript/a' }); // undefined
 */
export async function resolveServedFile(rawPath: string, mounts: Mounts): Promise<string | undefined> {
  const pathname = rawPath.split(/[?#]/, 1)[0];
  if (!pathname.startsWith('/')) return undefined;
  const segments: string[] = [];
  for (const raw of pathname.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (!segment || segment.startsWith('.') || /[/\\\0]/.test(segment)) return undefined;
    segments.push(segment);
  }
  const [mount, ...rest] = segments;
  if (!mount || !rest.length || !Object.hasOwn(mounts, mount)) return undefined;
  try {
    const root = await realpath(mounts[mount]);
    const file = await realpath(path.join(root, ...rest));
    if (!file.startsWith(root + path.sep)) return undefined;
    return (await stat(file)).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/** Sends a file with a validator, so the browser revalidates (a cheap 304) instead of showing a stale image or stylesheet. */
export async function sendFile(request: IncomingMessage, response: ServerResponse, file: string): Promise<void> {
  const info = await stat(file);
  const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  response.setHeader('Cache-Control', 'no-cache');
  response.setHeader('ETag', etag);
  if (request.headers['if-none-match'] === etag) {
    response.writeHead(304).end();
    return;
  }
  response.writeHead(200, { 'Content-Type': contentType(file), 'Content-Length': info.size });
  await new Promise<void>((resolve, reject) => {
    createReadStream(file).on('error', reject).on('end', resolve).pipe(response);
  });
}

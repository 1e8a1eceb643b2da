// Fetches one remote image for `banmian import`: a time limit and a size limit per file, and the bytes
// decoded with sharp, so a web page, an error page or a truncated file never lands in an article folder.
import sharp from 'sharp';

/** The formats banmian can place in print and in the EPUB (what the loader accepts). */
export const IMAGE_FORMATS = ['jpeg', 'png', 'webp', 'tiff', 'gif'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export interface DownloadLimits {
  /** The longest one file may take, from the request to its last byte. */
  timeoutMs: number;
  /** The largest file accepted, in bytes. */
  maxBytes: number;
  /** Aborts the download (Ctrl-C). */
  signal?: AbortSignal;
}

export interface DownloadedImage {
  bytes: Buffer;
  format: ImageFormat;
  width: number;
  height: number;
}

/** Why one URL could not be imported; the message reads after the URL (`https://…: HTTP 404 Not Found`). */
export class DownloadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DownloadError';
  }
}

/**
 * Downloads `url` and checks that its bytes are a whole image banmian can print.
 *
 * @example
 * const image = await downloadImage('https://example.org/a.jpg', { timeoutMs: 30_000, maxBytes: 50e6 });
 * image.format; // 'jpeg'
 */
export async function downloadImage(url: string, limits: DownloadLimits): Promise<DownloadedImage> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = limits.signal ? AbortSignal.any([limits.signal, timeout]) : timeout;
  const fail = (error: unknown): never => {
    if (limits.signal?.aborted) throw limits.signal.reason;
    if (timeout.aborted) throw new DownloadError(`no complete answer within ${formatSeconds(limits.timeoutMs)}`);
    if (error instanceof DownloadError) throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new DownloadError(`the download failed (${cause?.code ?? cause?.message ?? (error as Error).message})`, { cause: error });
  };
  const bytes = await fetchBytes(url, limits.maxBytes, signal).catch(fail);
  const metadata = await sharp(bytes).metadata().catch(() => undefined);
  const format = metadata?.format as string | undefined;
  if (!metadata?.width || !metadata.height || !IMAGE_FORMATS.includes(format as ImageFormat)) {
    throw new DownloadError(format ? `it is ${format.toUpperCase()}, not a photo banmian can print (JPEG, PNG, WebP, TIFF or GIF)` : 'the answer is not an image');
  }
  // The header can be intact while the pixels are not (a cut connection): decode it all once.
  const damaged = await sharp(bytes, { failOn: 'truncated' }).resize(64).toBuffer().then(() => undefined, (error: Error) => error);
  if (damaged) throw new DownloadError(`the image data is damaged (${damaged.message.split('\n')[0]})`);
  return { bytes, format: format as ImageFormat, width: metadata.width, height: metadata.height };
}

async function fetchBytes(url: string, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const response = await fetch(url, { signal, redirect: 'follow', headers: { accept: 'image/*' } });
  if (!response.ok) {
    await response.body?.cancel();
    throw new DownloadError(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  }
  const tooLarge = () => new DownloadError(`larger than the ${formatBytes(maxBytes)} limit`);
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let received = 0;
  for await (const chunk of response.body ?? []) {
    received += chunk.byteLength;
    if (received > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function formatBytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`;
}

function formatSeconds(ms: number): string {
  return `${+(ms / 1000).toFixed(1)} s`;
}

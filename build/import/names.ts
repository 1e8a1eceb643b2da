// File names for imported images: readable (from the URL's last segment), safe on every file system and
// in every Markdown and EPUB path (ASCII letters, digits, `-`), and stable: the same URL gets the same name
// on every run, two URLs never share one.
import { createHash } from 'node:crypto';
import type { ImageFormat } from './download.ts';

const EXTENSIONS: Record<ImageFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', tiff: 'tif', gif: 'gif' };
const MAX_STEM = 48;

/**
 * The name under `images/` for the image downloaded from `url`.
 *
 * @example
 * imageFileName('https://cdn.example.org/2024/bg2024051501.webp?w=800', 'webp'); // 'bg2024051501-1d5c0b7e.webp'
 */
export function imageFileName(url: string, format: ImageFormat): string {
  const hash = createHash('sha256').update(url).digest('hex').slice(0, 8);
  return `${stemOf(url)}-${hash}.${EXTENSIONS[format]}`;
}

function stemOf(url: string): string {
  const segment = new URL(url).pathname.split('/').filter(Boolean).pop() ?? '';
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // A malformed escape: the raw segment is as good a name.
  }
  const stem = decoded
    .replace(/\.[a-z0-9]{1,5}$/i, '')
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_STEM)
    .replace(/-+$/, '');
  return stem || 'image';
}

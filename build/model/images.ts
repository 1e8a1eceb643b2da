// The photos of an article, checked before any browser starts: each one is a readable image inside the
// article's folder. Every failure is a diagnostic at the image's line, so all of them are reported at once.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { Diagnostic } from './diagnostics.ts';
import type { FigureData } from './env.ts';

/** Above this an image is refused: no newspaper photo needs it, and decoding it would stall the build. */
export const MAX_IMAGE_PIXELS = 60_000_000;

export interface Figure extends FigureData {
  /** Absolute path of the image file. */
  path: string;
  /** Pixel size; 0 when the image could not be read (the article then carries a diagnostic). */
  width: number;
  height: number;
}

/** Reads a figure's image; problems go to `diagnostics` with the codes `check` reports them under. */
export async function inspectImage(figure: FigureData, dir: string, file: string, diagnostics: Diagnostic[]): Promise<Figure> {
  const imagePath = path.resolve(dir, figure.src);
  const unread: Figure = { ...figure, path: imagePath, width: 0, height: 0 };
  const fail = (message: string, hint: string, code = 'image-unreadable'): Figure => {
    diagnostics.push({ file, line: figure.line, column: figure.srcColumn, code, severity: 'error', message: `图片 ${figure.src}：${message}`, hint });
    return unread;
  };
  if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(figure.src)) {
    return fail('不能用远程或非文件地址', '用 `banmian import` 导入这个文件，把照片下载下来；或把照片存进稿件文件夹，写相对路径，如 images/photo.jpg。', 'image-remote');
  }
  if (!imagePath.startsWith(dir + path.sep)) {
    return fail('路径跑出了稿件文件夹', '把照片复制进稿件文件夹（如 images/），从那里引用。');
  }
  const info = await stat(imagePath).catch(() => undefined);
  if (!info?.isFile()) return fail('文件不存在', `把照片放到 ${path.relative(process.cwd(), imagePath)}，或改正路径。`, 'image-missing');
  if (info.size === 0) return fail('文件是空的', '换成真正的照片。');
  const metadata = await sharp(imagePath, { limitInputPixels: false }).metadata().catch(() => undefined);
  if (!metadata?.width || !metadata.height || !['jpeg', 'png', 'webp', 'tiff', 'gif'].includes(metadata.format ?? '')) {
    return fail('不是可读的图片', '把照片另存为 JPEG 或 PNG 再试。');
  }
  const { width, height } = metadata;
  if (width * height > MAX_IMAGE_PIXELS) {
    return fail(`${width} × ${height} 像素，太大（超过 ${MAX_IMAGE_PIXELS / 1e6} 百万像素）`, '缩小它：按印刷宽度约 300 ppi 就够了。');
  }
  // The header can be intact while the pixels are not (a truncated upload): decode it all once.
  const damaged = await sharp(imagePath, { failOn: 'truncated' }).resize(64).toBuffer().then(() => undefined, (error: Error) => error);
  if (damaged) return fail(`图片数据已损坏（${damaged.message.split('\n')[0]}）`, '重新导出或下载这张照片。');
  return { ...figure, path: imagePath, width, height };
}

// Draws deterministic placeholder photos for every figure whose image file is missing (or all, with --force),
// at 300 ppi for the widest placement (broadsheet), named as the Markdown names them so real photos replace them file for file.
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { findArticles, readArticle } from '../build/model/load.ts';
import { PRESETS, spanWidthMm } from '../build/print/presets.ts';

const PPI = 300;

export async function drawPlaceholder(file: string, widthPx: number, label: string): Promise<void> {
  const heightPx = Math.round((widthPx * 2) / 3);
  const stripes = Array.from({ length: 24 }, (_, i) => {
    const x = (i * widthPx) / 12 - heightPx;
    return `<line x1="${x}" y1="${heightPx}" x2="${x + heightPx}" y2="0" stroke="#c9ccd1" stroke-width="${widthPx / 60}"/>`;
  }).join('');
  const big = Math.round(widthPx / 9);
  const small = Math.round(widthPx / 40);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${heightPx}">
    <rect width="100%" height="100%" fill="#e4e6ea"/>${stripes}
    <rect x="4%" y="30%" width="92%" height="40%" fill="#ffffff" stroke="#b00020" stroke-width="${small / 3}"/>
    <text x="50%" y="50%" font-family="DejaVu Sans, sans-serif" font-weight="bold" font-size="${big}" fill="#b00020" text-anchor="middle">PLACEHOLDER</text>
    <text x="50%" y="63%" font-family="DejaVu Sans Mono, monospace" font-size="${small}" fill="#333" text-anchor="middle">${label} — replace with the real photo</text>
  </svg>`;
  await mkdir(path.dirname(file), { recursive: true });
  await sharp(Buffer.from(svg), { density: 72 })
    .jpeg({ quality: 80, mozjpeg: false })
    .withMetadata({ density: PPI })
    .toFile(file);
}

async function main(argv: string[]): Promise<void> {
  const force = argv.includes('--force');
  const inputs = argv.filter((arg) => !arg.startsWith('--'));
  const widest = PRESETS.broadsheet;
  for (const source of await findArticles(inputs.length ? inputs : ['manuscript'])) {
    const { article } = await readArticle(source);
    for (const figure of article.figures) {
      // Only files of the article folder: a remote photo is downloaded by `banmian import`, never drawn.
      if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(figure.src) || !figure.path.startsWith(article.dir + path.sep)) {
        console.log(`skipped ${figure.src} (${article.file}:${figure.line}): not a file of the article folder`);
        continue;
      }
      const target = figure.path;
      if (!force && (await stat(target).catch(() => undefined))) continue;
      const widthPx = Math.round((spanWidthMm(widest, figure.cols) / 25.4) * PPI);
      await drawPlaceholder(target, widthPx, figure.src);
      console.log(`placeholder ${target} (${widthPx} px wide)`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));

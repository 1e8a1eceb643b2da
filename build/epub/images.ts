// Screen images for the EPUB: photos downsized and recompressed, and a cover drawn from the headline block.
import sharp, { type OverlayOptions } from 'sharp';
import type { Article, Figure } from '../model/load.ts';

/** No e-reader screen is wider; beyond this a photo only adds weight. */
export const MAX_SCREEN_WIDTH = 1600;
const MAX_SCREEN_HEIGHT = 1600;
const JPEG = { quality: 78, mozjpeg: true } as const;
/** Newsprint white, as on the printed page. */
const PAPER = '#f6f1e7';

/** A photo as JPEG at screen size (never enlarged); transparency is flattened onto white. */
export async function screenImage(figure: Figure): Promise<Buffer> {
  return sharp(figure.path)
    .rotate()
    .resize({ width: MAX_SCREEN_WIDTH, height: MAX_SCREEN_HEIGHT, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg(JPEG)
    .toBuffer();
}

const COVER = { width: 1600, height: 2400, margin: 110 } as const;
/** The system 楷体 (fonts-lxgw-wenkai), found by librsvg through fontconfig; nothing is downloaded. */
const COVER_FONT = "'LXGW WenKai'";
/** Punctuation that may not start a line (clreq). */
const NO_LINE_START = /^[」』”’）》〉】，。、；：！？…—·]/;

/**
 * The cover: masthead, kicker, headline, subtitle and byline set in 楷体 on paper white, above the
 * article's first photo. Drawn from the manuscript alone, so the same article gives the same bytes.
 */
export async function drawCover(article: Article): Promise<Buffer> {
  const { publication, kicker, title, subtitle, byline } = article.frontMatter;
  const { width, height, margin } = COVER;
  const measure = width - 2 * margin;
  const parts: string[] = [];
  let y = 170;
  const line = (text: string, size: number, attrs = '') => {
    y += size;
    parts.push(`<text x="${width / 2}" y="${y}" font-size="${size}" text-anchor="middle" ${attrs}>${escapeXml(text)}</text>`);
    y += size * 0.35;
  };
  if (publication) {
    line(publication, 120, 'fill="#b3261e" font-weight="bold" letter-spacing="24"');
    y += 30;
    parts.push(`<rect x="${margin}" y="${y}" width="${measure}" height="8" fill="#1a1a1a"/>`, `<rect x="${margin}" y="${y + 16}" width="${measure}" height="2" fill="#1a1a1a"/>`);
    y += 90;
  }
  if (kicker) line(kicker, 64, 'fill="#333333"');
  y += 30;
  const titleLines = wrap(title, 12);
  const titleSize = Math.min(190, Math.floor(measure / Math.max(...titleLines.map((text) => [...text].length))));
  for (const text of titleLines) line(text, titleSize, 'fill="#111111" font-weight="bold"');
  y += 20;
  if (subtitle) line(subtitle, 66, 'fill="#333333"');
  if (byline) line(byline, 46, 'fill="#555555"');

  // The whole photo, never cropped (a crop could cut its subject, or a placeholder's label), centred in the space left.
  const spaceTop = Math.round(y + 70);
  const space = height - margin - spaceTop;
  const layers: OverlayOptions[] = [];
  const lead = article.figures[0];
  if (lead && space > 300) {
    const { data, info } = await sharp(lead.path).rotate().resize({ width: measure, height: space, fit: 'inside' }).toBuffer({ resolveWithObject: true });
    layers.push({ input: data, left: Math.round((width - info.width) / 2), top: spaceTop + Math.round((space - info.height) / 2) });
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="${COVER_FONT}">
<rect width="100%" height="100%" fill="${PAPER}"/>
${parts.join('\n')}
</svg>`;
  return sharp(Buffer.from(svg)).composite(layers).jpeg(JPEG).toBuffer();
}

/** Splits a headline into lines of at most `perLine` characters of even length, keeping closing punctuation off line starts. */
function wrap(text: string, perLine: number): string[] {
  const chars = [...text.trim()];
  const count = Math.ceil(chars.length / perLine);
  const size = Math.ceil(chars.length / count);
  const lines: string[] = [];
  for (let i = 0; i < chars.length; i += size) lines.push(chars.slice(i, i + size).join(''));
  for (let i = 1; i < lines.length; i++) {
    while (NO_LINE_START.test(lines[i])) {
      const [first, ...rest] = [...lines[i]];
      lines[i - 1] += first;
      lines[i] = rest.join('');
    }
  }
  return lines.filter(Boolean);
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

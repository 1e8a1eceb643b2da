// The declared typefaces: whole font files only (unicode-range slices break punctuation trimming in Chromium).
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const fontsource = (pkg: string, file: string) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'files', file);

export interface FontFace {
  family: string;
  weight: number;
  /** Absolute path of the font file. */
  file: string;
}

/** Every face the print page may use; nothing else may render a glyph. */
export const FONT_FACES: FontFace[] = [
  { family: 'Noto Serif SC', weight: 400, file: fontsource('@fontsource/noto-serif-sc', 'noto-serif-sc-chinese-simplified-400-normal.woff2') },
  { family: 'Noto Serif SC', weight: 700, file: fontsource('@fontsource/noto-serif-sc', 'noto-serif-sc-chinese-simplified-700-normal.woff2') },
  { family: 'Noto Serif TC', weight: 400, file: fontsource('@fontsource/noto-serif-tc', 'noto-serif-tc-chinese-traditional-400-normal.woff2') },
  { family: 'Noto Sans SC', weight: 500, file: fontsource('@fontsource/noto-sans-sc', 'noto-sans-sc-chinese-simplified-500-normal.woff2') },
  { family: 'Noto Sans SC', weight: 900, file: fontsource('@fontsource/noto-sans-sc', 'noto-sans-sc-chinese-simplified-900-normal.woff2') },
  { family: 'Noto Sans TC', weight: 500, file: fontsource('@fontsource/noto-sans-tc', 'noto-sans-tc-chinese-traditional-500-normal.woff2') },
  { family: 'Noto Sans TC', weight: 900, file: fontsource('@fontsource/noto-sans-tc', 'noto-sans-tc-chinese-traditional-900-normal.woff2') },
  // The npm LXGW WenKai packages are all sliced by unicode-range; Debian's fonts-lxgw-wenkai is one file.
  { family: 'LXGW WenKai', weight: 400, file: '/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf' },
  // Last resorts from Debian (fonts-dejavu-core, fonts-tlwg-garuda-ttf) for what the CJK faces lack: Latin
  // beyond ASCII, Greek, Cyrillic, symbols, Thai; and the monospaced face of code.
  { family: 'DejaVu Serif', weight: 400, file: '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf' },
  { family: 'DejaVu Sans', weight: 400, file: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf' },
  { family: 'DejaVu Sans Mono', weight: 400, file: '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf' },
  { family: 'Garuda', weight: 400, file: '/usr/share/fonts/truetype/tlwg/Garuda.ttf' },
];

/** Family stacks, every face declared: Song/serif for text, 黑体 for heads, 楷体 for captions, a monospaced face for code. */
export const FONT_STACKS = {
  serif: "'Noto Serif SC', 'Noto Serif TC', 'DejaVu Serif', 'Garuda'",
  sans: "'Noto Sans SC', 'Noto Sans TC', 'DejaVu Sans', 'Garuda'",
  kai: "'LXGW WenKai', 'DejaVu Sans', 'Garuda'",
  mono: "'DejaVu Sans Mono', 'Noto Sans SC', 'Noto Sans TC', 'Garuda'",
} as const;

/** `@font-face` rules for every declared face: its URL from `faceUrl`, in the format the URL ends with. */
export function fontFaceCss(faceUrl: (face: FontFace) => string): string {
  return FONT_FACES.map((face) => {
    const url = faceUrl(face);
    const format = url.split(/[?#]/)[0].endsWith('.woff2') ? 'woff2' : 'truetype';
    return `@font-face { font-family: '${face.family}'; font-weight: ${face.weight}; font-style: normal; font-display: block; src: url("${url}") format("${format}"); }`;
  }).join('\n');
}

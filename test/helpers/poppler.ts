// poppler's command-line tools, parsed: the claims about PDFs are checked with the real tools.
import { execFileSync } from 'node:child_process';

const run = (tool: string, args: string[]) => execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** `pdfinfo` as key → value (with -box, the page boxes too). */
export function pdfInfo(file: string, ...flags: string[]): Record<string, string> {
  return Object.fromEntries(
    run('pdfinfo', [...flags, file]).split('\n').filter((line) => line.includes(':')).map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
    }),
  );
}

export interface PdfFont { name: string; type: string; embedded: boolean }

export function pdfFonts(file: string): PdfFont[] {
  return run('pdffonts', [file]).split('\n').slice(2).filter(Boolean).map((line) => {
    const columns = line.trim().split(/\s+/);
    // name type… encoding emb sub uni object ID: read from the right, the type may contain spaces.
    return { name: columns[0], type: columns.slice(1, -6).join(' '), embedded: columns[columns.length - 5] === 'yes' };
  });
}

export interface PdfImage { page: number; width: number; height: number; xPpi: number; yPpi: number; type: string; color: string }

export function pdfImages(file: string): PdfImage[] {
  return run('pdfimages', ['-list', file]).split('\n').slice(2).filter(Boolean).map((line) => {
    const c = line.trim().split(/\s+/);
    return { page: Number(c[0]), type: c[2], color: c[5], width: Number(c[3]), height: Number(c[4]), xPpi: Number(c[12]), yPpi: Number(c[13]) };
  });
}

/** Text of each page, in content order (`-raw`: the columns as they were set, not guessed from positions). */
export function pdfPageTexts(file: string): string[] {
  return run('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-']).split('\f').slice(0, -1);
}

/** Page size in millimetres from pdfinfo's "W x H pts". */
export function pageSizeMm(info: Record<string, string>): { width: number; height: number } {
  const [, w, h] = /([\d.]+) x ([\d.]+) pts/.exec(info['Page size'])!;
  return { width: (Number(w) * 25.4) / 72, height: (Number(h) * 25.4) / 72 };
}

// The column space filled on each printed page, in body lines, measured in the page Paged.js laid out: the
// copyfit check's measure, and the build's report of what `--fit` left over or under.
import type { PageMap } from './page-map.ts';

/** One printed page, in body lines (the leading of the text). */
export interface PageMeasure {
  /** Lines the type area holds: columns × lines per column. */
  capacity: number;
  /** Lines of column space taken by anything (text, heads, photos, the headline block). */
  used: number;
  /** Lines of body text (paragraphs) set on the page. */
  textLines: number;
}

export interface CopyfitMeasure {
  pages: PageMeasure[];
  /** Characters of body text a column line holds, to turn lines into an amount to cut or add. */
  charactersPerLine: number;
  /** Where each page starts in the manuscript: the overset point is the start of the first page past the target. */
  pageMap: PageMap;
}

/** Runs in the page: the column space filled on each Paged.js page, from the boxes Chromium laid out. */
export function measurePages(): Omit<CopyfitMeasure, 'pageMap'> {
  const sample = document.querySelector('.pagedjs_pages .article-body p') ?? document.querySelector('.pagedjs_pages .article-body');
  const sampleStyle = getComputedStyle(sample ?? document.documentElement);
  const leading = parseFloat(sampleStyle.lineHeight);
  const fontSize = parseFloat(sampleStyle.fontSize);
  let charactersPerLine = 0;

  const pages = [...document.querySelectorAll('.pagedjs_page')].map((page): PageMeasure => {
    const area = page.querySelector('.pagedjs_page_content')!.getBoundingClientRect();
    const body = page.querySelector('.article-body');
    const bodyStyle = body ? getComputedStyle(body) : undefined;
    const columns = Math.max(1, Number(bodyStyle?.columnCount) || 1);
    const gap = parseFloat(bodyStyle?.columnGap ?? '0') || 0;
    const left = body ? body.getBoundingClientRect().left : area.left;
    const width = body ? body.getBoundingClientRect().width : area.width;
    const columnWidth = (width - (columns - 1) * gap) / columns;
    charactersPerLine ||= Math.floor(columnWidth / fontSize);

    // Every laid-out box: text a line fragment at a time, photos whole.
    const boxes: DOMRect[] = [];
    const textLines = new Set<string>();
    const walker = document.createTreeWalker(page.querySelector('.pagedjs_page_content')!, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent?.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const inBodyText = node.parentElement?.closest('.article-body p') && !node.parentElement.closest('figure');
      for (const rect of range.getClientRects()) {
        if (rect.width < 0.5 || rect.height < 0.5) continue;
        boxes.push(rect);
        if (inBodyText) textLines.add(`${Math.floor((rect.left - left + gap / 2) / (columnWidth + gap))}:${Math.round(rect.top)}`);
      }
    }
    for (const image of page.querySelectorAll('.pagedjs_page_content img')) boxes.push(image.getBoundingClientRect());

    // Column by column, from the top of the type area to the lowest box that reaches into the column.
    const perColumn = Math.floor((area.height + 0.5) / leading);
    let used = 0;
    for (let column = 0; column < columns; column++) {
      const from = left + column * (columnWidth + gap);
      const to = from + columnWidth;
      const bottom = boxes.filter((box) => box.right > from + 1 && box.left < to - 1).reduce((lowest, box) => Math.max(lowest, box.bottom), area.top);
      used += Math.min(perColumn, Math.ceil((bottom - area.top - 0.5) / leading));
    }
    return { capacity: perColumn * columns, used, textLines: textLines.size };
  });
  return { pages, charactersPerLine };
}

/** A justified line spaced past a quarter em a character because a Latin run that cannot break would not fit on it. */
export interface LooseLine {
  /** The run that stands on the line or starts the next one. */
  run: string;
  /** Extra space after each character of the line, in em. */
  extra: number;
  /** The page (1-based) and the manuscript line of the paragraph. */
  page: number;
  sourceLine?: number;
}

/**
 * Runs in the page: the loose lines the layout could not avoid (the plan's tighten() takes the others), each
 * with the unbreakable Latin run to blame. A Han character's extra width is the space justification put after
 * it, the quarter em text-autospace puts beside a Latin letter or digit aside.
 */
export function measureLooseLines(): LooseLine[] {
  const latinRun = /[A-Za-z0-9][A-Za-z0-9.,%:/+-]{2,}/;
  const latin = /[A-Za-z0-9]/;
  const pages = [...document.querySelectorAll('.pagedjs_page')];
  const found: LooseLine[] = [];
  for (const block of document.querySelectorAll<HTMLElement>('.pagedjs_pages .article-body p, .pagedjs_pages .article-body li')) {
    const em = parseFloat(getComputedStyle(block).fontSize);
    const chars: { char: string; top: number; left: number; width: number }[] = [];
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let offset = 0; offset < node.textContent!.length; offset++) {
        range.setStart(node, offset);
        range.setEnd(node, offset + 1);
        const rect = [...range.getClientRects()].find((r) => r.width > 0);
        if (rect) chars.push({ char: node.textContent![offset], top: rect.top, left: rect.left, width: rect.width });
      }
    }
    // Lines by their tops (a paragraph's last line is not justified, so never loose).
    const lines = chars.reduce<(typeof chars)[]>((out, c) => {
      const line = out[out.length - 1];
      if (line && Math.abs(line[0].top - c.top) < 2 && c.left > line[line.length - 1].left) line.push(c);
      else out.push([c]);
      return out;
    }, []);
    lines.forEach((line, index) => {
      const text = line.map((c) => c.char).join('');
      // A run on the line, or one that starts the next within a few characters.
      const next = latinRun.exec((lines[index + 1] ?? []).map((c) => c.char).join(''));
      const run = latinRun.exec(text)?.[0] ?? (next && next.index < 8 ? next[0] : undefined);
      if (!run) return;
      const extra = Math.max(0, ...line.filter((c) => {
        const k = chars.indexOf(c);
        return /\p{sc=Han}/u.test(c.char) && !latin.test(chars[k - 1]?.char ?? '') && !latin.test(chars[k + 1]?.char ?? '');
      }).map((c) => (c.width - em) / em));
      if (Math.round(extra * 100) / 100 <= 0.25) return;
      const sourceLine = Number(block.closest('[data-source-line]')?.getAttribute('data-source-line')) || undefined;
      found.push({ run, extra: Math.round(extra * 100) / 100, page: pages.indexOf(block.closest('.pagedjs_page')!) + 1, sourceLine });
    });
  }
  return found;
}

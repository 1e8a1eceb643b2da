// The page map: which source block, and how far into its text, each printed page starts with. Read from the
// Paged.js pages in Chromium by the PDF stage (and by copyfit), so the EPUB's page-list and the check's overset
// point name the printed pages of the same layout.

/** Where one printed page begins in the manuscript. */
export interface PageStart {
  /** The printed page, from 1. */
  page: number;
  /** The source line (`data-source-line`) of the block the page starts in; absent when it starts in the headline block. */
  line?: number;
  /** Characters of that block's text (whitespace and typesetting joiners not counted) set on earlier pages. */
  offset: number;
  /** The first characters set on the page, as a reader would quote them (whitespace and joiners removed). */
  text: string;
}

export type PageMap = PageStart[];

/** Characters the page map does not count: whitespace and the joiners the typesetting adds. */
export const UNCOUNTED = /[\s\u2060\u200b\ufeff]/g;

/**
 * Runs in the paginated page (pass it to `page.evaluate`): one entry per `.pagedjs_page`. A page starts
 * with the first text or image in its type area; the block is that node's closest `data-source-line`, and
 * the offset sums the text of the same block's fragments (Paged.js gives every fragment of an element the
 * same `data-ref`) on the pages before.
 *
 * @example
 * const map = await page.evaluate(readPageMap); // [{ page: 1, offset: 0, text: '打造新高地…' }, { page: 2, line: 41, offset: 87, text: '…' }]
 */
export function readPageMap(): PageMap {
  // Self-contained: it is serialised into the page (no named inner functions: the bundler would wrap them in a
  // helper the page does not have). Keep `uncounted` in step with UNCOUNTED above.
  const uncounted = /[\s\u2060\u200b\ufeff]/g;
  const pages = [...document.querySelectorAll('.pagedjs_page')];
  /** Counted characters of each fragmented element (by data-ref) on the pages already walked. */
  const before = new Map<string, number>();
  return pages.map((page, index): PageStart => {
    const area = page.querySelector('.pagedjs_page_content') ?? page;
    // Text and images in document order: the first one is where the page starts.
    const walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    const marks: Node[] = [];
    let text = '';
    for (let node = walker.nextNode(); node && text.length < 24; node = walker.nextNode()) {
      const counted = node.nodeType === Node.TEXT_NODE ? (node.textContent ?? '').replace(uncounted, '') : '';
      if (counted || (node as Element).tagName === 'IMG') marks.push(node);
      text += counted;
    }
    const first = marks[0];
    const element = first && (first.nodeType === Node.ELEMENT_NODE ? (first as Element) : first.parentElement);
    const block = element?.closest('[data-source-line]') ?? undefined;
    const ref = block?.getAttribute('data-ref') ?? '';
    const start: PageStart = {
      page: index + 1,
      ...(block ? { line: Number(block.getAttribute('data-source-line')) } : {}),
      offset: (block && before.get(ref)) || 0,
      text: text.slice(0, 24),
    };
    for (const fragment of area.querySelectorAll('[data-source-line][data-ref]')) {
      const key = fragment.getAttribute('data-ref')!;
      before.set(key, (before.get(key) ?? 0) + (fragment.textContent ?? '').replace(uncounted, '').length);
    }
    return start;
  });
}

// Paged.js handler (runs in the browser, after plan.js has built the modules): the newspaper's page-breaking rules. A break that would fall
// inside a photo band, the headline block or right after a section head moves to before it, so nothing
// is clipped or orphaned; the last page's columns are balanced instead of filled one after another, and the
// free area under them is given as `data-copyfit-free` on the document ("N lines × M columns").
const UNITS = '.module, .figure-band, .block-band, .article-header';

function nodeAt(range) {
  const container = range.startContainer;
  return container.nodeType === Node.ELEMENT_NODE ? (container.childNodes[range.startOffset] ?? container) : container;
}

function elementOf(node) {
  return node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
}

/** The first element that would leave the page whole, or undefined when the break is fine where it is. */
function keepTarget(overflow, rendered) {
  const element = elementOf(nodeAt(overflow));
  const unit = element && element.closest(UNITS);
  if (unit && rendered.contains(unit)) return unit;
  // A section head must not end a column of a page: take it along with its first lines.
  const block = element && element.closest('p, .module, .section');
  const head = block && block.previousElementSibling;
  if (head && head.matches('.section') && block.tagName === 'P' && isFirstLineBreak(overflow, block)) return head;
  return undefined;
}

function isFirstLineBreak(overflow, block) {
  const probe = document.createRange();
  probe.setStart(block, 0);
  probe.setEnd(overflow.startContainer, overflow.startOffset);
  return probe.toString().length < 40;
}

function hasContentBefore(target, rendered) {
  const before = document.createRange();
  before.setStart(rendered, 0);
  before.setEndBefore(target);
  return before.toString().trim().length > 0 || before.cloneContents().querySelector('img') !== null;
}

/* global plannedPages */

/**
 * Paged.js's footnote handler fits CSS footnotes (`float: footnote`) into each page's footnote area once the
 * page is laid out: it reads the area, which lays the page out once more, and sets styles on it, which has the
 * next page's set-up lay it out again (~4 ms a page, 0.3 s of a 73-page article). The print styles declare no
 * such footnotes (an article's notes are a section of its own): that step is skipped while none is declared.
 */
const Footnotes = Paged.registeredHandlers.find((handler) => handler.name === 'Footnotes');
if (Footnotes) {
  const { afterPageLayout } = Footnotes.prototype;
  Footnotes.prototype.afterPageLayout = function afterPageLayoutWithFootnotes(...args) {
    if (Object.keys(this.footnotes).length || this.needsLayout.length) afterPageLayout.apply(this, args);
  };
}

class NewspaperLayout extends Paged.Handler {
  /**
   * Paged.js lays the page out to look for its end each time so many characters of text are in it (1,500 on
   * the first page, then the first pages' average), and after every further node once it has looked: several
   * layouts of the whole page where one would do. The make-up plan knows each page's text: the page is looked
   * at once, as the next page's text begins (where the plan and the page differ, Paged.js still breaks where
   * the page overflows). And no page watches its size once laid out: Paged.js would lay each page out once
   * more to read it (~40 ms of a 73-page article), to paginate again should a late photo or face resize it —
   * the plan has every photo and face loaded before the first page.
   */
  beforePageLayout(page, contents, breakToken, chunker) {
    page.addResizeObserver = () => {};
    const planned = plannedPages[chunker.pages.length - 1];
    if (planned) page.settings.maxChars = planned + 1;
    else delete page.settings.maxChars;
  }

  onOverflow(found, rendered, bounds, layout) {
    // Paged.js expects overflowing content to start a page gap beyond the right edge; our columns'
    // overflow starts one narrow gutter beyond it, so look again with no gap allowance.
    const overflow = layout.findOverflow(rendered, bounds, 0) ?? found;
    if (!overflow) return undefined;
    const target = keepTarget(overflow, rendered);
    // Something must stay on the page, or the break would repeat on every page.
    if (!target || !hasContentBefore(target, rendered)) return overflow;
    const range = document.createRange();
    range.setStartBefore(target);
    range.setEndAfter(rendered.lastChild);
    return range;
  }

  afterRendered(pages) {
    // Balancing only shortens columns, so the text that fitted still fits.
    const last = pages[pages.length - 1];
    const body = last?.element.querySelector('.article-body');
    if (!body) return;
    body.classList.add('article-body--balanced');
    // Copyfit: the clean area under the balanced columns, in body lines × columns, for other copy.
    const style = getComputedStyle(body);
    const area = last.element.querySelector('.pagedjs_page_content').getBoundingClientRect();
    const lines = Math.floor((area.bottom - body.getBoundingClientRect().bottom + 0.5) / parseFloat(style.lineHeight));
    document.documentElement.dataset.copyfitFree = `${Math.max(0, lines)} lines × ${style.columnCount} columns`;
  }
}

Paged.registerHandlers(NewspaperLayout);

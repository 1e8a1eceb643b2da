// Part of the make-up plan (loaded before plan.js; runs in the browser): rows of photos and the photo module —
// a row across some columns, its captions under it, the text beside it in the columns left.
/* global span */
/* exported Module, captionOf, element, photoRows */

/**
 * Groups a band's photos into rows: one row when they fit across the page, else as few rows as their
 * columns need, the photos shared out evenly; each row of a band of several then spans the page.
 */
function photoRows(grid, figures) {
  const width = figures.reduce((sum, figure) => sum + Math.min(grid.columns, Number(figure.dataset.cols) || 1), 0);
  const count = Math.max(Math.ceil(width / grid.columns), Math.ceil(figures.length / grid.columns));
  if (count === 1) return [{ photos: figures, full: false }];
  const per = Math.ceil(figures.length / count);
  const rows = [];
  for (let start = 0; start < figures.length; start += per) rows.push({ photos: figures.slice(start, start + per), full: true });
  return rows;
}

/** Sets a row's photos to `columns` in total (spans in proportion, on whole columns). */
function setSpans(figures, columns) {
  const asked = figures.reduce((sum, figure) => sum + (Number(figure.dataset.cols) || 1), 0);
  let left = columns;
  figures.forEach((figure, index) => {
    const own = index === figures.length - 1 ? left
      : Math.max(1, Math.min(left - (figures.length - 1 - index), Math.round(((Number(figure.dataset.cols) || 1) * columns) / asked)));
    figure.style.gridColumn = `span ${own}`;
    figure.dataset.span = String(own);
    left -= own;
  });
}

/** The height (px) the row's photos take at their spans: the least of their own heights (none enlarged), at most half the page. */
function naturalPhotoHeight(grid, figures) {
  const heights = figures.map((figure) => {
    const img = figure.querySelector('img');
    const ratio = img.naturalWidth && img.naturalHeight ? img.naturalHeight / img.naturalWidth : 2 / 3;
    return span(grid, Number(figure.dataset.span)) * ratio * (grid.photoScale ?? 1);
  });
  return Math.min(...heights, (grid.lines * grid.leading) / 2);
}

/** The height under the photos that their captions take: the row's caption block, or the tallest caption. */
function captionHeight(module) {
  const block = module.querySelector('.module-captions');
  if (block) return block.getBoundingClientRect().height;
  return Math.max(0, ...[...module.querySelectorAll('figcaption')].map((caption) => caption.getBoundingClientRect().height));
}

/** Each photo's caption, once a module has set it apart from its photo. */
const captionOf = new WeakMap();

/** Where a photo stands in a row of `count`, as its caption names it. */
function place(index, count) {
  if (count === 2) return ['左图', '右图'][index];
  if (count === 3) return ['左图', '中图', '右图'][index];
  return `左${'一二三四五六七八'[index] ?? index + 1}`;
}

/**
 * The captions of a row of several photos, set together under the row in its columns and balanced, each
 * named by its photo's place (左图, 右图 …): captions of different lengths under each photo would leave white
 * under the short ones.
 */
function joinCaptions(figures, photos) {
  const captions = figures.map((figure, index) => {
    // A module built again for the same photos takes their captions from the block of the one before.
    const caption = figure.querySelector('figcaption') ?? captionOf.get(figure);
    if (caption) {
      captionOf.set(figure, caption);
      // Its photo's source line goes with it, for the preview's click to source.
      Object.assign(caption.dataset, { place: place(index, figures.length), sourceLine: figure.dataset.sourceLine });
    }
    return caption;
  }).filter(Boolean);
  if (figures.length < 2 || !captions.length) return;
  const block = element('div', 'module-captions');
  block.append(...captions);
  photos.append(block);
}

function element(tag, className) {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}

/**
 * A photo module: one row of photos across `grid.columns - textColumns` columns, their captions under them,
 * and `textColumns` columns of text beside; laid out (in `body`) `lines` body lines tall, photos cropped to fit.
 */
class Module {
  constructor(grid, body, figures, textColumns) {
    this.grid = grid;
    this.figures = figures;
    this.textColumns = textColumns;
    this.node = element('div', 'module');
    this.photos = element('div', 'module-photos');
    this.photos.style.setProperty('--span', String(grid.columns - textColumns));
    this.photos.append(...figures);
    for (const img of this.photos.querySelectorAll('figure > img')) {
      const box = element('div', 'photo');
      img.replaceWith(box);
      box.append(img);
    }
    this.node.append(this.photos);
    setSpans(figures, grid.columns - textColumns);
    joinCaptions(figures, this.photos);
    if (textColumns) {
      // The text comes first in reading order, so a paragraph that runs into it from above reads on unbroken.
      this.text = element('div', 'module-text');
      this.text.style.setProperty('--span', String(textColumns));
      this.node.prepend(this.text);
    }
    body.append(this.node);
    // The lines the photos ask for at their own proportions, with captions and a line of space below.
    // The captions' height depends on the photos' spans only: measured once.
    this.captionHeight = captionHeight(this.node);
    this.natural = Math.max(3, Math.floor((naturalPhotoHeight(grid, figures) + this.captionHeight + grid.leading) / grid.leading));
  }

  /** Makes the module exactly `lines` lines tall, its photos and captions `photoLines` of them (text under them in the rest). */
  setLines(lines, photoLines = lines) {
    const { leading } = this.grid;
    // Never so short that the photos would vanish under their captions: three lines of photo at least.
    this.lines = Math.max(lines, Math.ceil((this.captionHeight - 0.01) / leading) + 4);
    lines = this.lines;
    const height = Math.min(lines, photoLines) * leading - this.captionHeight - leading;
    this.node.style.setProperty('--photo-height', `${height}px`);
    this.node.style.height = `${lines * leading}px`;
    if (this.under) this.node.style.gridTemplateRows = `${photoLines * leading}px ${(lines - photoLines) * leading}px`;
    // Each photo is scaled whole to cover its box and centred in it; the box clips it (the PDF keeps the
    // original image, not a resampled crop).
    for (const figure of this.figures) {
      const img = figure.querySelector('img');
      const width = span(this.grid, Number(figure.dataset.span));
      const scale = Math.max(width / (img.naturalWidth || width), height / (img.naturalHeight || height));
      const [w, h] = [(img.naturalWidth || width) * scale, (img.naturalHeight || height) * scale];
      Object.assign(img.style, { width: `${w}px`, height: `${h}px`, marginLeft: `${(width - w) / 2}px`, marginTop: `${(height - h) / 2}px` });
    }
  }

  /**
   * Sets the photos at the right, the text beside them at the left and more text under them in their
   * columns (read after the text beside): returns the block for the text under the photos.
   */
  wrap() {
    this.under = element('div', 'module-under');
    this.under.style.setProperty('--span', String(this.grid.columns - this.textColumns));
    this.node.classList.add('module--wrap');
    this.node.append(this.under);
    return this.under;
  }

  /** Whether the text beside the photos, or under them, overflows its columns. */
  overflows() {
    return [this.text, this.under].some((text) => text && text.scrollWidth > text.clientWidth + 1);
  }
}

// Paged.js handler (runs in the browser): the make-up editor's layout plan, made before pagination.
// In `beforeParsed` the article is set once, off screen, at the page's real measure with the real fonts;
// every block is measured in body lines, and the body is rebuilt as a stack of full-width modules on the
// baseline grid: runs of text in columns, and photo modules — a row of photos aligned top and bottom, the
// columns beside it filled by the text that follows (or by the short run before it), never left empty.
// A module that would not fit at the foot of a page goes to the top of the next, and text fills the page.
// layout.js then paginates what this plan built. The plan's parts are loaded before it: plan-text.js
// (the grid, measuring, splitting and balancing text), plan-loose.js (loose lines), plan-photos.js (rows of
// photos and the photo module). The PDF stage may have the first variant planned meanwhile in a page of its
// own (variant-plan.ts): that page loads the same document with ?banmian-variant and only plans.
/* exported plannedPages */
/* global MIN_RUN_LINES, Module, captionOf, distribute, element, flatten, joinSplit, keepCredit, keepTail,
   knowLines, linesOf, mayBeLoose, padToGrid, photoRows, peekLines, readGrid, setAside, takeLines, takeSizes, tighten */

/** How far (in photo heights) a module's photos may be cropped or enlarged to fit the text beside them (300 ppi stays over 250). */
const PHOTO_STRETCH = 0.15;
/** Every block a module can carry beside its photos; anything else (wide tables, code) spans the page. */
const TEXT_BLOCKS = 'p, section.section, h3, h4, h5, h6, ul, ol, blockquote, pre, div.table-wrap, hr, section.notes, figure.figure--column';

/** Photo heights a little taller or shorter, within their stretch. */
const [TALLER, SHORTER] = [1 + PHOTO_STRETCH / 1.5, 1 - PHOTO_STRETCH / 1.5];
/**
 * The plans tried again, in turn, while the one kept has flaws: photos a column narrower (`columns`, added to
 * each photo's own), and photo heights scaled (`scale`) within their stretch.
 */
const VARIANTS = [
  { columns: -1, scale: 1 },
  { columns: 0, scale: TALLER },
  { columns: 0, scale: SHORTER },
  { columns: -1, scale: TALLER },
  { columns: -1, scale: SHORTER },
];
/** Pages beyond which an article's plan is made again only once for its flaws (each plan costs about 0.05 s a page). */
const LONG_ARTICLE_PAGES = 4;
/**
 * Copyfit (`banmian build --fit`): the photo sizes tried, smallest change first, to bring an article that runs
 * over its `pages` target onto fewer pages (up to two columns narrower each, and shorter), or one that runs
 * under onto more (a column wider each, and taller).
 */
const FIT_STEPS = {
  smaller: [{ columns: 0, scale: SHORTER }, { columns: -1, scale: 1 }, { columns: -1, scale: SHORTER }, { columns: -2, scale: 1 }, { columns: -2, scale: SHORTER }],
  larger: [{ columns: 0, scale: TALLER }, { columns: 1, scale: 1 }, { columns: 1, scale: TALLER }],
};

/** Resolves once `img` has loaded, or failed to (the no-loss check reports a broken photo). */
const loaded = (img) => (img.complete ? undefined : new Promise((resolve) => {
  img.addEventListener('load', resolve, { once: true });
  img.addEventListener('error', resolve, { once: true });
}));

/** The range pageFlaws measures lines with, made once (every range made stays live and slows each later change to the nodes, see plan-loose.js). */
const flawRange = document.createRange();

/**
 * The first of `count` tries (0, 1, …) that `fits`, or `count` when none does: a fuller take fits only if a
 * less full one does, so from `guess` the search steps away, doubling, until the first is between two tries,
 * and halves from there — some four tries of a page's twenty-odd takes instead of the six or more from the top.
 */
function firstFitting(count, guess, fits) {
  let [low, high] = [0, count];
  const tryAt = (index) => {
    if (fits(index)) high = index;
    else low = index + 1;
    return high === index;
  };
  if (!count) return count;
  let at = Math.min(guess, count - 1);
  const down = tryAt(at);
  for (let step = 1; ; step *= 2) {
    const next = down ? at - step : at + step;
    if (next < low || next >= high || tryAt(next) !== down) break;
    at = next;
  }
  while (low < high) tryAt((low + high) >> 1);
  return high;
}

/** The characters of text on each page of the plan kept (the first with the headline's), for layout.js. */
const plannedPages = [];

/** Whether a page of its own plans the first variant (variant-plan.ts puts this in the document). */
const variantApart = () => Boolean(document.querySelector('meta[name="banmian-variant"][content="apart"]') && window.banmianVariantPlan);

/**
 * The first variant of the plan (VARIANTS[0]), made in a page of its own while this one makes the first plan
 * (variant-plan.ts): its article's HTML, pages, flaws, over-crops, characters a page and the faces it used;
 * null where no page makes it (a short article, the preview, copyfit: the document says so) or it failed.
 */
async function variantPlannedElsewhere(host) {
  if (!variantApart()) return null;
  // Waiting, the page would render: the whole article planned would be laid out for nothing (0.8 s in a long one).
  const show = hide(host);
  try {
    const offered = await window.banmianVariantPlan(true);
    const html = offered && await readText(offered.htmlUrl).catch(() => undefined);
    return html ? { ...offered, html } : null;
  } finally {
    show();
  }
}

/** The text at `url`, read with a request (the PDF stage serves the variant's HTML so: serve.ts, serveText). */
function readText(url) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('GET', url);
    request.onload = () => (request.responseText ? resolve(request.responseText) : reject(new Error(`${url} came empty`)));
    request.onerror = () => reject(new Error(`${url} could not be read`));
    request.send();
  });
}

/** Tells the page planning the variant that it is not needed (the first plan has no flaws): it stops at once. */
function variantNotNeeded() {
  if (variantApart()) window.banmianVariantPlan(false).catch(() => undefined);
}

/**
 * Loads the faces the text of `root` is set in, before it is laid out: laid out first, it was set in stand-ins
 * until they came, then laid out (and its text shaped) again. Each font's first family only, as layout asks
 * for it; a character it lacks sends layout on to the next one, which is then waited for as before.
 */
function loadFaces(root) {
  const texts = new Map();
  for (const element of [root, ...root.querySelectorAll('*')]) {
    let own = '';
    for (const node of element.childNodes) if (node.nodeType === Node.TEXT_NODE) own += node.data;
    if (!own.trim()) continue;
    const style = getComputedStyle(element);
    const font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily.split(',')[0]}`;
    texts.set(font, (texts.get(font) ?? '') + own);
  }
  // One that fails is reported by start.js, which fails the build.
  return Promise.all([...texts].map(([font, text]) => document.fonts.load(font, text).catch(() => undefined)));
}

/** Pads a block of the prepared article to whole lines, but paragraphs, section heads and photo bands (padToGrid). */
function padBlock(grid, block) {
  if (!block.matches('p, section.section, .figure-band')) padToGrid(grid, block);
}

/**
 * Hides `node` until the function returned is called: meanwhile the page never lays it out. The PDF stage's
 * pages paginate with their window minimised (nothing renders there); this is for a page that is shown (the
 * preview's, or where a browser cannot minimise).
 */
function hide(node) {
  node.style.display = 'none';
  return () => {
    node.style.removeProperty('display');
    if (!node.style.length) node.removeAttribute('style');
  };
}

/** In the page that plans the variant: resolves to it, or rejects with what failed (variant-plan.ts reads it). */
let [offerVariant, refuseVariant] = [];
window.banmianVariant = new Promise((resolve, reject) => { [offerVariant, refuseVariant] = [resolve, reject]; });
window.banmianVariant.catch(() => undefined);

/** Thrown to give up a try of the plan that can no longer beat the plan kept. */
const BEATEN = Symbol('beaten');

/** A face's name in `faces`, as the page planning the variant reports the faces it used. */
const faceKey = (face) => `${face.family} ${face.weight} ${face.style}`;

/**
 * The plan made elsewhere (`planned.html`, an article planned) put in the place of `current`, as kept, with
 * the faces its layout used loaded (start.js waits for the faces this page has asked for: laid out here, the
 * plan would have asked for them). Marked on the document, for the tests.
 */
async function adopt(current, planned) {
  const template = document.createElement('template');
  template.innerHTML = planned.html;
  const article = template.content.firstElementChild;
  current.replaceWith(article);
  await Promise.all([...document.fonts].filter((face) => face.status === 'unloaded' && planned.faces.includes(faceKey(face))).map((face) => face.load().catch(() => undefined)));
  document.documentElement.dataset.variantPlanned = 'apart';
  return { ...planned, article };
}

class LayoutPlan extends Paged.Handler {
  /** Flaws and over-crops at which the plan being made is given up (see beforeParsed). */
  bound = Infinity;

  async beforeParsed(content) {
    const article = content.querySelector('.article');
    const body = content.querySelector('.article-body');
    if (!article || !body) return;
    const grid = readGrid();
    const host = element('div', 'layout-host');
    host.style.cssText = `position:absolute;left:-20000px;top:0;width:${grid.typeWidth}px;`;
    document.body.append(host);
    host.append(article);
    // Copyfit to this many pages, when the build asks for it.
    const fit = Number(document.querySelector('meta[name="banmian-fit"]')?.content) || 0;
    let kept = { article };
    if (new URLSearchParams(location.search).has('banmian-variant')) return this.planVariant(grid, article, body);
    try {
      await this.prepare(grid, body);
      // Every try plans a copy of the prepared article.
      const source = article.cloneNode(true);
      // Nearer the target first (when fitting), then fewer flaws and over-crops.
      const worse = (a, b) => a.flaws + a.crops - b.flaws - b.crops;
      const better = (a, b) => (fit ? Math.abs(a.pages - fit) - Math.abs(b.pages - fit) || worse(a, b) : worse(a, b)) < 0;
      const count = (plan) => worse(plan, { flaws: 0, crops: 0 });
      kept = await this.attempt(grid, source, kept.article, { columns: 0, scale: 1 }, Infinity);
      // A plan with flaws (holes, strips, photos squeezed past their stretch) is made again with the photos
      // sized otherwise, as the make-up editor would: a column narrower, so the columns beside them carry
      // more of the text, or taller or shorter within their stretch, so the text breaks elsewhere. Fitting,
      // the photos are sized toward the target. The first plan on target without flaws is kept, else the best.
      // Each try plans the whole article again: a long one gets the first only (copyfit, asked for, gets all).
      const tries = fit && kept.pages !== fit ? FIT_STEPS[kept.pages > fit ? 'smaller' : 'larger'] : VARIANTS.slice(0, kept.pages > LONG_ARTICLE_PAGES ? 1 : undefined);
      if (!kept.flaws) variantNotNeeded();
      for (const [index, sizes] of tries.entries()) {
        if (!kept.flaws && (!fit || kept.pages === fit)) break;
        // The first variant, planned meanwhile in a page of its own (the same plan as the try below would make).
        const elsewhere = !fit && !index && await variantPlannedElsewhere(host);
        if (elsewhere) {
          if (better(elsewhere, kept)) kept = await adopt(kept.article, elsewhere);
          continue;
        }
        // Flaws and over-crops only add up as the plan goes: once they come to the kept plan's, the try can no
        // longer beat it and is given up (fitting, the pages come first: tried to the end).
        const tried = await this.attempt(grid, source, kept.article, sizes, fit ? Infinity : count(kept));
        if (!tried.article) continue;
        if (better(tried, kept)) kept = tried;
        else tried.article.replaceWith(kept.article);
      }
      // What the copyfit did to the photos, for the build to report.
      if (fit) document.documentElement.dataset.fitPhotos = JSON.stringify({ columns: kept.columns, scale: kept.scale });
    } finally {
      content.append(kept.article);
      host.remove();
    }
    plannedPages.splice(0, plannedPages.length, ...kept.pageChars ?? []);
    if (plannedPages.length) plannedPages[0] += content.textContent.length - kept.article.querySelector('.article-body').textContent.length;
  }

  /**
   * In the page of its own that plans the first variant for the print page (variant-plan.ts): prepares the
   * article as the print page does and plans VARIANTS[0] in full, for the print page to compare with its
   * first plan. This page never paginates.
   */
  async planVariant(grid, article, body) {
    try {
      await this.prepare(grid, body);
      const tried = await this.attempt(grid, article.cloneNode(true), article, VARIANTS[0], Infinity);
      const { pages, flaws, crops, columns, scale, pageChars } = tried;
      const faces = [...document.fonts].filter((face) => face.status !== 'unloaded').map(faceKey);
      const html = tried.article.outerHTML;
      // Shown, the plan would be laid out again as the page renders, on the core the print page paginates on.
      hide(tried.article);
      offerVariant({ html, pages, flaws, crops, columns, scale, pageChars, faces });
    } catch (error) {
      refuseVariant(error);
    }
    return new Promise(() => {});
  }

  /**
   * What every plan of the article starts from, made once: section wrappers off, the last two characters of
   * each paragraph and each photographer's credit kept together, loose lines tightened, and blocks other than
   * paragraphs padded to whole lines — all measured in one column at the page's column width, with the fonts
   * and photos loaded.
   */
  async prepare(grid, body) {
    flatten(body);
    body.querySelectorAll(':scope > p').forEach(keepTail);
    body.querySelectorAll('figcaption .credit').forEach(keepCredit);
    body.classList.add('article-body--measure');
    await Promise.all([...body.querySelectorAll('img')].map(loaded));
    // The faces come in while the article is hidden: a face that came in had the page lay the whole article
    // out for nothing (0.4–0.6 s of a 100-page article), just before it is laid out ragged below.
    const article = body.closest('.article') ?? body;
    const faces = loadFaces(article);
    const show = hide(article);
    await faces;
    show();
    // Laid out once, ragged: mayBeLoose reads where its lines end, and they break where justified lines do, so
    // the blocks are measured in it too. (Laid out justified as well, the article was set twice more: 0.5 s in a long one.)
    body.classList.add('article-body--ragged');
    void body.offsetHeight;
    // A face first asked for by that layout (loadFaces missed it): measured once it is in. Meanwhile the article
    // is hidden: the page would render, laying it all out again for nothing (0.6 s in a long one).
    if ([...document.fonts].some((face) => face.status === 'loading')) {
      const show = hide(body);
      await document.fonts.ready;
      show();
    }
    const loose = mayBeLoose([...body.querySelectorAll(':scope > p, :scope > ul > li, :scope > ol > li')]);
    const tightened = new Map();
    for (const item of loose) {
      let block = item;
      while (block.parentNode !== body) block = block.parentNode;
      tightened.set(block, [...(tightened.get(block) ?? []), item]);
    }
    for (const block of body.children) if (!tightened.has(block)) padBlock(grid, block);
    // Each block's lines, the same in every try's copy; those tightened are measured again, alone.
    const lines = new Map([...body.children].map((block) => [block, linesOf(grid, block)]));
    body.classList.remove('article-body--ragged');
    this.tightenAlone(grid, body, tightened, lines);
    this.preparedLines = [...body.children].map((block) => lines.get(block));
    body.classList.remove('article-body--measure');
  }

  /**
   * Tightens the loose lines of the paragraphs and list items in `blocks` (each block of `body` with the items of
   * it to tighten), each block set alone in a column like `body`'s while the rest is hidden: each change to a
   * line made Chromium lay out the whole article's column again (in a long article, most of the time its
   * preparing took). Each block is padded to whole lines (but paragraphs) and its lines set in `lines`, there.
   */
  tightenAlone(grid, body, blocks, lines) {
    const alone = body.cloneNode(false);
    body.after(alone);
    const show = hide(body);
    for (const [block, items] of blocks) {
      const place = document.createComment('');
      block.replaceWith(place);
      alone.append(block);
      items.forEach(tighten);
      padBlock(grid, block);
      lines.set(block, linesOf(grid, block));
      place.replaceWith(block);
    }
    alone.remove();
    show();
  }

  /**
   * Plans a copy of the prepared `source` in the place of `current`, its photos sized by `columns` (added to
   * each photo's own) and `scale` (of their heights). Returns the copy planned with its pages, flaws and
   * over-crops, or no copy when the try was given up as its flaws and over-crops came to `bound` (`current`
   * is then back in its place).
   */
  async attempt(grid, source, current, { columns, scale }, bound) {
    const article = source.cloneNode(true);
    for (const figure of article.querySelectorAll('figure[data-cols]')) figure.dataset.cols = String(Math.min(grid.columns, Math.max(1, Number(figure.dataset.cols) + columns)));
    const body = article.querySelector('.article-body');
    knowLines([...body.children], this.preparedLines, body);
    current.replaceWith(article);
    [this.flaws, this.crops, this.bound] = [0, 0, bound];
    this.roomOf = undefined;
    try {
      await this.plan({ ...grid, photoScale: scale }, article, body);
    } catch (error) {
      if (error !== BEATEN) throw error;
      this.unprobe();
      article.replaceWith(current);
      return {};
    } finally {
      this.bound = Infinity;
    }
    return { article, pages: this.pages, flaws: this.flaws, crops: this.crops, columns, scale, pageChars: this.pageChars };
  }

  async plan(grid, article, body) {
    // Measured in one column at the page's column width. A loaded photo has its size, all the plan needs;
    // decoding it (decode()) would cost ~0.3 s of a first render for pixels the PDF never uses (Chromium
    // writes a JPEG's own bytes) and the screen decodes when it paints.
    body.classList.add('article-body--measure');
    await Promise.all([...body.querySelectorAll('img')].map(loaded));
    this.grid = grid;
    this.body = body;
    this.out = [];
    this.onPage = [];
    this.pages = 0;
    this.pageChars = [];
    // An article shorter than a strip makes no strips.
    this.shortArticle = this.linesOf([...body.children].filter((block) => block.matches(TEXT_BLOCKS))) < MIN_RUN_LINES * grid.columns;
    this.newPage();

    // The source in order: text blocks, and rows of photos (a band holds one or more).
    this.queue = [];
    for (const item of [...body.children]) {
      if (!item.matches('.figure-band')) this.queue.push(item);
      else {
        this.queue.push(...photoRows(grid, [...item.querySelectorAll(':scope > figure')]));
        item.remove();
      }
    }
    // Each block comes back to the measuring column when it is to be split (its lines are known, knowLines).
    for (const entry of this.queue) if (!entry.photos) setAside(entry);
    // The headline block is measured with the blocks set aside: with them in, Chromium would lay out the whole article first.
    this.pageLines -= this.headerLines(article);
    let run = [];
    while (this.queue.length) {
      const entry = this.queue.shift();
      if (entry.photos) {
        run = this.placePhotos(entry.photos, entry.full, run);
      } else if (entry.matches(TEXT_BLOCKS)) {
        run.push(entry);
      } else {
        // A block across the page (wide table, code): the run before it ends there.
        this.flushRun(run);
        run = [];
        this.place(entry);
      }
    }
    this.flushRun(run);
    this.finishPage(true);
    this.unprobe();
    body.classList.remove('article-body--measure');
    body.replaceChildren(...this.out);
  }

  /** The headline block's height, padded to whole lines so the body starts on the grid. */
  headerLines(article) {
    const header = article.querySelector('.article-header');
    if (!header) return 0;
    const margin = parseFloat(getComputedStyle(header).marginBottom);
    const total = header.getBoundingClientRect().height + margin;
    const lines = Math.ceil(total / this.grid.leading - 0.01);
    header.style.marginBottom = `${margin + lines * this.grid.leading - total}px`;
    return lines;
  }

  /** Puts a block on the page being planned. */
  place(node) {
    this.out.push(node);
    this.onPage.push(node);
  }

  /** Starts the plan of a new page, the one before finished. */
  newPage() {
    if (this.onPage?.length) this.finishPage(false);
    for (const node of this.onPage ?? []) if (node.parentNode === this.body) setAside(node);
    this.pages++;
    this.onPage = [];
    this.pageLines = this.grid.lines;
  }

  /**
   * Evens the columns of each run of text on the finished page that is balanced: above a module or a block
   * across the page, and at the end of the article. (The run at the foot of any other page fills its
   * columns to the foot.) Kept only when the page still holds all it held.
   */
  finishPage(last) {
    const runs = [[]];
    for (const node of this.onPage) {
      if (node.matches('.module, .block-band')) runs.push([]);
      else runs[runs.length - 1].push(node);
    }
    if (!last) runs.pop();
    const before = this.onPage;
    for (const run of runs.filter((blocks) => blocks.length)) {
      const { blocks, undo } = distribute(this.grid, run, this.grid.columns);
      const kept = this.onPage;
      const at = kept.indexOf(run[0]);
      this.onPage = [...kept.slice(0, at), ...blocks, ...kept.slice(at + run.length)];
      if (!this.fits([])) {
        undo();
        this.onPage = kept;
      }
    }
    this.out.splice(this.out.length - before.length, before.length, ...this.onPage);
    this.pageChars.push(this.onPage.reduce((sum, node) => sum + node.textContent.length, 0));
    this.flaws += this.pageFlaws(last);
    if (this.flaws + this.crops >= this.bound) throw BEATEN;
  }

  /**
   * Holes and strips of the finished page, measured as the layout test measures them on the PDF: the page is
   * laid out in a probe and every line of text and every photo marks the cells (a column by a line) it
   * covers; a hole is a blank area at least a column wide and 6 lines tall, or two columns wide and 3 lines
   * tall, above the end of the lowest column on the last page; a strip, a run of text between two modules
   * under 5 lines a column (none counted in an article shorter than a strip). Photos cropped to less than
   * three quarters of their height or width are counted apart, in `crops`.
   */
  pageFlaws(last) {
    const { grid } = this;
    const probe = this.probe([], true);
    const origin = probe.getBoundingClientRect();
    const filled = Array.from({ length: grid.columns }, () => new Array(this.pageLines).fill(false));
    const mark = (rect) => {
      if (rect.width < 0.5 || rect.height < 0.5) return;
      for (let column = 0; column < grid.columns; column++) {
        const left = origin.left + column * (grid.columnWidth + grid.gutter);
        if (rect.right <= left + 1 || rect.left >= left + grid.columnWidth - 1) continue;
        const from = Math.max(0, Math.floor((rect.top - origin.top + 1) / grid.leading));
        const to = Math.min(this.pageLines, Math.ceil((rect.bottom - origin.top - 1) / grid.leading));
        for (let line = from; line < to; line++) filled[column][line] = true;
      }
    };
    const tops = (nodes) => {
      const found = new Set();
      for (const root of nodes) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (!node.data.trim()) continue;
          flawRange.selectNodeContents(node);
          for (const rect of flawRange.getClientRects()) {
            mark(rect);
            if (rect.width >= 0.5) found.add(Math.round((rect.top - origin.top) / grid.leading));
          }
        }
      }
      return found;
    };
    let flaws = 0;
    let run = [];
    const endRun = () => {
      const rows = tops(run);
      if (rows.size && !this.shortArticle && Math.max(...rows) - Math.min(...rows) + 1 < MIN_RUN_LINES) flaws++;
      run = [];
    };
    for (const node of probe.children) {
      if (!node.matches('.module, .block-band')) {
        run.push(node);
        continue;
      }
      endRun();
      tops([node]);
    }
    endRun();
    probe.querySelectorAll('.photo, img:not(.photo img)').forEach((photo) => mark(photo.getBoundingClientRect()));
    // A photo cropped to less than three quarters of its height or width.
    for (const photo of probe.querySelectorAll('.photo')) {
      const [frame, image] = [photo.getBoundingClientRect(), photo.querySelector('img').getBoundingClientRect()];
      if (Math.min(frame.height / image.height, frame.width / image.width) < 0.75) this.crops++;
    }
    const end = last ? Math.max(...filled.map((column) => column.lastIndexOf(true))) + 1 : this.pageLines;
    const blank = (column, line) => line < end && !filled[column][line];
    for (let column = 0; column < grid.columns; column++) {
      for (let line = 0; line < end; line++) {
        let tall = 0;
        while (blank(column, line + tall)) tall++;
        const wide = column + 1 < grid.columns && [0, 1, 2].every((k) => blank(column, line + k) && blank(column + 1, line + k));
        if (tall >= 6 || wide) flaws++;
        line += Math.max(0, tall - 1);
      }
    }
    return flaws;
  }

  /**
   * Lays out copies of what is on the page being planned, then `extra`, in a page's columns, off screen. One
   * probe serves every call for a page: the copies of blocks still wanted where they were (on the page, or
   * tried after it again as `extra`) and unchanged since they were copied stay, so Chromium does not set their
   * text again from scratch; `onPage` counts the copies of the page's own. What is above the page's last
   * module (or block across the page), once a probe has laid it out, stands as one empty block of its height
   * (what comes after a block across the columns never moves what is above it), so a probe lays out only
   * what follows it; `whole` lays out everything (to find the page's flaws).
   */
  probe(extra, whole = false) {
    const { grid } = this;
    if (this.probed?.lines !== this.pageLines) {
      this.probed?.probe.remove();
      const probe = element('div', 'article-body layout-probe');
      probe.style.cssText = `flex:none;height:${this.pageLines * grid.leading}px;width:${grid.typeWidth}px`;
      this.body.after(probe);
      this.probed = { probe, lines: this.pageLines, copies: [], onPage: 0, top: undefined };
    }
    const { probe, copies } = this.probed;
    const top = whole ? undefined : this.settledTop();
    const onPage = top ? [top, ...this.onPage.slice(top.nodes.length)] : this.onPage;
    const wanted = [...onPage, ...extra];
    const htmlOf = (node) => (node === top ? '' : node.outerHTML);
    let same = 0;
    while (same < copies.length && copies[same].node === wanted[same] && copies[same].html === htmlOf(wanted[same])) same++;
    copies.splice(same);
    // What follows the copies kept goes: copies of blocks changed or gone.
    while (probe.lastChild && probe.lastChild !== copies.at(-1)?.copy) probe.lastChild.remove();
    for (const node of wanted.slice(same)) copies.push({ node, html: htmlOf(node), copy: probe.appendChild(node === top ? top.spacer : node.cloneNode(true)) });
    this.probed.onPage = onPage.length;
    return probe;
  }

  /** The block standing for what is above the page's last module, while those blocks are unchanged since it was measured. */
  settledTop() {
    const { top } = this.probed;
    if (!top || top.nodes.some((node, index) => this.onPage[index] !== node || node.outerHTML !== top.htmls[index])) return undefined;
    return top;
  }

  /**
   * After a probe was read (its layout is current): measures what is above the last module (or block across
   * the page) among its copies of the page's blocks, for settledTop.
   */
  measureTop() {
    const { probe, top } = this.probed;
    const copies = this.probed.copies.slice(0, this.probed.onPage);
    const at = copies.findLastIndex(({ node }) => node !== top && node.matches('.module, .block-band'));
    if (at === -1) return;
    // A page that already runs over (a block across the page placed where it does not fit) keeps being
    // probed whole, so every later probe still sees it run over.
    const spanner = copies[at].copy;
    const frame = probe.getBoundingClientRect();
    if (spanner.getBoundingClientRect().bottom > frame.bottom + 1 || probe.scrollWidth > probe.clientWidth + 1) return;
    // Copies after the block standing for the top are of the blocks after it.
    const count = top && copies[0].node === top ? top.nodes.length + at : at + 1;
    const style = getComputedStyle(probe);
    const contentTop = frame.top + probe.clientTop + parseFloat(style.paddingTop);
    const spacer = element('div', 'layout-spacer');
    spacer.style.cssText = `column-span:all;margin:0 0 ${getComputedStyle(spanner).marginBottom};height:${spanner.getBoundingClientRect().bottom - contentTop}px`;
    const nodes = this.onPage.slice(0, count);
    this.probed.top = { nodes, htmls: nodes.map((node) => node.outerHTML), spacer };
  }

  /** Removes the probe from the article (at the end of a plan). */
  unprobe() {
    this.probed?.probe.remove();
    this.probed = undefined;
  }

  /**
   * Lines left at the foot of the page being planned, measured: what is on it so far is laid out with a
   * rule across the page after it, as the next module would come.
   */
  room() {
    // Asked again and again for the same page state: measured once per state.
    const state = `${this.out.length} ${this.onPage.length} ${this.pageLines}`;
    if (this.roomOf?.state === state) return this.roomOf.lines;
    const lines = this.measureRoom();
    this.roomOf = { state, lines };
    return lines;
  }

  /** The measure behind room(): a probe of the page. */
  measureRoom() {
    const probe = this.probe([element('div', 'module')]);
    const mark = probe.lastElementChild;
    const free = Math.floor((probe.getBoundingClientRect().bottom - mark.getBoundingClientRect().top + 1) / this.grid.leading);
    const past = mark.getBoundingClientRect().left > probe.getBoundingClientRect().left + 1;
    this.measureTop();
    return past ? 0 : Math.max(0, free);
  }

  /** Whether `extra` still fits on the page being planned (nothing runs past its last column). */
  fits(extra) {
    const probe = this.probe(extra);
    const bottom = probe.getBoundingClientRect().bottom + 1;
    const fits = probe.scrollWidth <= probe.clientWidth + 1 &&
      [...probe.children].every((node) => !node.matches('.module, .block-band') || node.getBoundingClientRect().bottom <= bottom);
    this.measureTop();
    return fits;
  }

  /** Fills the rest of the page with text from the front of `pool`, as much as really fits, and starts a new page. */
  fillPage(pool) {
    const { columns } = this.grid;
    const room = this.room();
    // The rows left under balanced columns, and one more: the last columns may be short of it.
    const capacity = (room + 1) * columns;
    // Heads that must not end a column can push the text over: a line less at a time until it fits. A
    // paragraph splits only with two lines on each side, so a line less can take more: the fullest take
    // of each size that fits is kept. Each take is tried on a copy (the text itself is split only for the
    // one kept), and the one kept is sought from the rows under balanced columns.
    const capacities = takeSizes(this.grid, pool, capacity, Math.max(0, capacity - 4 * columns));
    const guess = Math.max(0, capacities.findIndex((lines) => lines <= room * columns));
    const kept = firstFitting(capacities.length, guess, (index) => this.fits(peekLines(this.grid, pool, capacities[index])));
    if (kept < capacities.length) {
      for (const block of takeLines(this.grid, pool, capacities[kept])) {
        this.dequeue(block);
        this.place(block);
      }
    }
    // A page must take something, or the plan would never move on.
    if (!this.onPage.length && pool.length) {
      this.dequeue(pool[0]);
      this.place(pool.shift());
    }
    this.newPage();
  }

  /** A run of text in all columns: balanced above what follows, or continued on the next pages. */
  flushRun(run) {
    while (run.length) {
      if (this.fits(run)) {
        run.splice(0).forEach((block) => this.place(block));
        return;
      }
      this.fillPage(run);
    }
  }

  /** Lines of a run, all blocks; with `most`, measured only until they come to `most` (then at least `most`). */
  linesOf(blocks, most = Infinity) {
    let sum = 0;
    for (const block of blocks) {
      if (sum >= most) break;
      sum += linesOf(this.grid, block);
    }
    return sum;
  }

  /**
   * One row of photos after the run of text `run`. The photos take their columns and the rest carries the
   * text that follows; a run too short to stand as a strip goes beside them; a module that does not fit at
   * the foot of the page waits for the next one while the text fills this one. `full`: a row of a band of
   * several, which spans the page. Returns the new run.
   */
  placePhotos(figures, full, run) {
    const { grid } = this;
    const { columns } = grid;
    // The part of the run that falls on this page.
    let room = this.room();
    if (!this.fits(run)) {
      this.fillPage(run);
      room = this.room();
    }
    const runLines = this.linesOf(run);
    const short = runLines > 0 && Math.ceil(runLines / columns) < MIN_RUN_LINES;
    if (!short) {
      this.flushRun(run);
      run = [];
    }
    // The text that follows, to stand beside the photos or to fill the page before them: past later
    // photos too (they then come later, as the text needs), up to a block across the page.
    const following = [];
    for (const entry of this.queue) {
      if (entry.photos) continue;
      if (!entry.matches(TEXT_BLOCKS)) break;
      following.push(entry);
    }
    const pool = [...run, ...following];
    // Measured only as far as every figure it is compared with (at most a page of lines in all columns: a
    // module's photos are at most half the page tall): a long article's rest is not measured.
    const available = this.linesOf(pool, 2 * grid.lines * columns);
    const asked = Math.min(columns, figures.reduce((sum, figure) => sum + (Number(figure.dataset.cols) || 1), 0));
    let textColumns = columns - asked;
    let module = new Module(grid, this.body, figures, textColumns);
    const need = () => textColumns * Math.ceil(module.natural * (1 - PHOTO_STRETCH));
    const merged = !full && available < need() && this.mergeLater(figures);
    if (merged) {
      module.node.remove();
      module = this.shareText(figures, available);
      textColumns = module.textColumns;
    }
    // A row of a band of several spans the page. With too little text left to fill the columns beside
    // photos of half the page or more, they widen a column at a time (and grow) until it does, up to the
    // page; smaller photos keep their size.
    const tooLittle = () => !merged && asked * 2 >= columns && available < need();
    while (textColumns > 0 && (full || tooLittle())) {
      module.node.remove();
      textColumns = full ? 0 : textColumns - 1;
      module = new Module(grid, this.body, figures, textColumns);
    }
    if (!short) room = this.room();
    // Too little text left to fill the page after photos that do not fit on it: they narrow until they fit
    // beside the text instead of moving to a page of their own, as long as the text fills the columns beside.
    for (let photoColumns = columns - textColumns - 1; !merged && module.natural > room && photoColumns >= figures.length && available < room * columns; photoColumns--) {
      module.node.remove();
      module = new Module(grid, this.body, figures, columns - photoColumns);
      if (available < module.textColumns * Math.ceil(module.natural * (1 - PHOTO_STRETCH))) {
        module.node.remove();
        module = new Module(grid, this.body, figures, textColumns);
        break;
      }
      textColumns = module.textColumns;
    }
    // Photos that fit neither on this page nor beside the little text left (near the end of the article)
    // are set among the text, a column wide each, rather than on a page of their own with white above them.
    if (module.natural > room && available < room * columns && this.onPage.length) {
      module.node.remove();
      for (const figure of figures) this.inColumn(figure);
      return [...run, ...figures];
    }
    let lines = module.natural;
    // Under the module, too little room for a run of text of its own (a strip at the foot of the page).
    const strip = room - lines > 0 && room - lines < MIN_RUN_LINES;
    if (lines > room) {
      // Grown to the foot of the page when it nearly reaches it; else the page fills with text first.
      if (room >= Math.ceil(lines * (1 - PHOTO_STRETCH)) && room >= 3) lines = room;
      else if (this.onPage.length) {
        this.fillPage(pool);
        lines = Math.min(lines, this.grid.lines);
      }
    } else if (strip && room <= Math.floor(lines * (1 + PHOTO_STRETCH))) {
      lines = room;
    } else if (strip && this.onPage.length && available >= room * columns) {
      // The text fills the page instead, and the photos go to the top of the next.
      this.fillPage(pool);
    } else if (strip) {
      this.flaws++;
    }
    if (textColumns > 0) this.fillBeside(module, pool, lines, this.room());
    else module.setLines(lines);
    // What the photos did not carry of the short run before them follows them instead.
    this.queue.unshift(...run.filter((block) => pool.includes(block)));
    module.node.remove();
    this.place(module.node);
    if (this.room() === 0) this.newPage();
    return [];
  }

  /**
   * Near the end of the article, too little text left to fill beside this row of photos: the rows of
   * photos still to come before the next block across the page join it (taken off the queue, their photos
   * appended to `figures`), so that one module shares the text left, as long as the row keeps at most half
   * the page's columns in photos. Whether it did.
   */
  mergeLater(figures) {
    const later = [];
    for (const entry of this.queue) {
      if (entry.photos) later.push(entry);
      else if (!entry.matches(TEXT_BLOCKS)) break;
    }
    const count = figures.length + later.reduce((sum, entry) => sum + entry.photos.length, 0);
    if (!later.length || later.some((entry) => entry.full) || count * 2 > this.grid.columns) return false;
    for (const entry of later) {
      this.queue.splice(this.queue.indexOf(entry), 1);
      figures.push(...entry.photos);
    }
    return true;
  }

  /**
   * The module for `figures` whose columns beside the photos the `available` lines of text fill best: the
   * fewest text columns that the text fills to within the photos' stretch, else the one it comes closest to.
   */
  shareText(figures, available) {
    let best;
    for (let textColumns = 1; textColumns <= this.grid.columns - figures.length; textColumns++) {
      const module = new Module(this.grid, this.body, figures, textColumns);
      module.node.remove();
      const ratio = available / textColumns / module.natural;
      const miss = ratio > 1 + PHOTO_STRETCH ? ratio - 1 - PHOTO_STRETCH : Math.max(0, 1 - PHOTO_STRETCH - ratio);
      if (!best || miss < best.miss) best = { textColumns, miss };
    }
    // Built again: each module built takes the photos and their captions.
    return new Module(this.grid, this.body, figures, best.textColumns);
  }

  /** Makes a photo a block of the text's columns: a column wide, its caption under it, whole lines tall. */
  inColumn(figure) {
    const caption = captionOf.get(figure);
    if (caption) figure.append(caption);
    figure.style.gridColumn = '';
    figure.classList.add('figure--column');
    this.body.append(figure);
    padToGrid(this.grid, figure);
  }

  /** Fills the columns beside the photos with text from `pool` for `lines` lines (fewer when the text runs out). */
  fillBeside(module, pool, lines, room) {
    const { grid } = this;
    // When what would be left after the photos is too little for a run of its own, it goes beside them too.
    // Measured only as far as the two tests below need.
    const poolLines = this.linesOf(pool, module.textColumns * Math.max(lines, room) + MIN_RUN_LINES * grid.columns);
    const all = Math.ceil(poolLines / module.textColumns) + 1;
    const left = poolLines - module.textColumns * lines;
    if (left > 0 && left < MIN_RUN_LINES * grid.columns && all <= Math.min(room, Math.floor(lines * (1 + PHOTO_STRETCH)))) lines = all;
    else if (left > 0 && left < MIN_RUN_LINES * grid.columns && !this.queue.some((entry) => entry.photos) && this.wrapUnder(module, pool, lines, room)) return;
    // The text beside the photos reads after their captions, so a paragraph may go on below the module;
    // one that comes from the page before reads on first, and then the text beside them ends with a
    // sentence, so none reads on across the captions.
    const continues = pool[0]?.classList.contains('continued');
    const taken = takeLines(grid, pool, module.textColumns * lines, continues ? 'sentence' : true);
    for (const block of taken) this.dequeue(block);
    const used = this.linesOf(taken);
    const { blocks } = distribute(grid, taken, module.textColumns);
    module.text.append(...blocks);
    if (!continues) module.node.append(module.text);
    module.setLines(Math.max(3, Math.min(lines, Math.ceil(used / module.textColumns))));
    if (module.lines < Math.ceil(module.natural * (1 - PHOTO_STRETCH))) {
      this.flaws++;
    }
    // Heads that cannot end a column may push a line over: the module grows a line at a time while the
    // page and the photos allow, then gives the last block back until it fits.
    const most = Math.min(room, Math.max(lines, Math.floor(module.natural * (1 + PHOTO_STRETCH))));
    while (module.overflows() && module.lines < most) module.setLines(module.lines + 1);
    while (module.overflows() && module.text.lastElementChild) {
      const last = module.text.lastElementChild;
      last.style.breakBefore = '';
      if (last === taken.split) {
        pool[0].before(last);
        joinSplit(last);
        continue;
      }
      this.queue.unshift(last);
      this.body.append(last);
    }
  }

  /**
   * The last text of the article, too much to stand beside the photos and too little for a run of its own
   * after them (a strip): the photos, `photoLines` tall, move to the right, and what the columns beside
   * them do not hold goes on under them, in their columns, so that every column of the module ends
   * together. False (nothing done) when the page or the text is too short for it.
   */
  wrapUnder(module, pool, photoLines, room) {
    const { grid } = this;
    const photoColumns = grid.columns - module.textColumns;
    const height = Math.ceil((this.linesOf(pool) + photoColumns * photoLines) / grid.columns);
    if (height > room || height - photoLines < 2) return false;
    const continues = pool[0]?.classList.contains('continued');
    const beside = takeLines(grid, pool, module.textColumns * height, continues ? 'sentence' : true);
    const under = pool.splice(0);
    for (const block of [...beside, ...under]) this.dequeue(block);
    module.text.append(...distribute(grid, beside, module.textColumns).blocks);
    if (!continues) module.node.append(module.text);
    module.wrap().append(...distribute(grid, under, photoColumns).blocks);
    const lines = Math.max(Math.ceil(this.linesOf(beside) / module.textColumns), photoLines + Math.ceil(this.linesOf(under) / photoColumns));
    module.setLines(lines, photoLines);
    // Heads that cannot end a column may push a line over: the module grows a line at a time.
    while (module.overflows() && module.lines < room) module.setLines(module.lines + 1, photoLines);
    if (module.lines < Math.ceil(module.natural * (1 - PHOTO_STRETCH))) this.flaws++;
    return true;
  }

  /** Removes a block taken for a module from the source queue (a split's first part was never in it). */
  dequeue(block) {
    const index = this.queue.indexOf(block);
    if (index !== -1) this.queue.splice(index, 1);
  }
}

Paged.registerHandlers(LayoutPlan);

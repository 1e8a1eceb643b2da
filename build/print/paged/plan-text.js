// Part of the make-up plan (loaded before plan.js; runs in the browser): the page's grid, and text measured,
// split and balanced in body lines — a paragraph split after a line or a sentence, a list between items, a run
// of text shared out over columns so that they end together.
/* exported MIN_RUN_LINES, span, distribute, flatten, joinSplit, keepCredit, keepTail, knowLines, linesOf, padToGrid,
   charBox, peekLines, readGrid, setAside, takeLines, takeSizes */

/** Fewest lines a run of text may have in each column before it counts as a strip. */
const MIN_RUN_LINES = 5;

const PX_PER_PT = 4 / 3;

/** The preset's grid, from the custom properties build/print/document.ts writes (points → CSS pixels). */
function readGrid() {
  const style = getComputedStyle(document.documentElement);
  const pt = (name) => parseFloat(style.getPropertyValue(name)) * PX_PER_PT;
  return {
    columns: Number(style.getPropertyValue('--columns')),
    leading: pt('--leading'),
    columnWidth: pt('--column-width'),
    gutter: pt('--gutter'),
    typeWidth: pt('--type-width'),
    lines: Number(style.getPropertyValue('--lines')),
  };
}

const span = (grid, columns) => columns * grid.columnWidth + (columns - 1) * grid.gutter;

/**
 * Blocks set aside from the measuring column, each with the column it goes back to when it is measured:
 * a change to the column (a paragraph split or joined again) then lays out only what is in it, the blocks
 * near the page being planned, not the whole article.
 */
const asideFrom = new WeakMap();

function setAside(block) {
  asideFrom.set(block, block.parentNode);
  block.remove();
}

/** The block, laid out: put back in its measuring column if it was set aside (at its end: blocks are measured one by one). */
function laidOut(block) {
  const column = asideFrom.get(block);
  if (column) {
    asideFrom.delete(block);
    if (!block.parentNode) column.append(block);
  }
  return block;
}

/**
 * The lines of blocks measured once for every try of the plan (in the prepared article, plan.js), with the
 * measuring column they were measured for: a block unchanged since, set aside or in that column, is not laid
 * out again to be measured (each try laid every block of the article out twice, to measure it and to split it).
 */
const knownLines = new WeakMap();

/** Gives each of `blocks` (in `column`) its `lines`, in order. */
function knowLines(blocks, lines, column) {
  blocks.forEach((block, index) => knownLines.set(block, { lines: lines[index], column }));
}

/** Lines a laid-out element takes on the grid (rounded up: a block never ends between two baselines). */
function linesOf(grid, element) {
  const known = knownLines.get(element);
  if (known && (!element.parentNode || element.parentNode === known.column)) return known.lines;
  return Math.ceil(laidOut(element).getBoundingClientRect().height / grid.leading - 0.01);
}

/** A last line of one character (孤字) never ends a paragraph: its last two characters and their punctuation stay together. */
function keepTail(paragraph) {
  const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
  let last;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) if (node.textContent.trim()) last = node;
  if (!last || last.parentElement.closest('.keep')) return;
  const glue = last.parentElement.closest('.glue');
  if (glue) {
    // A glued mark (……, ——) already holds on to the character before it: the one before that joins them.
    const before = glue.previousSibling;
    const match = before?.nodeType === Node.TEXT_NODE && /[\p{sc=Han}\p{L}\p{N}][\p{P}\s]*$/u.exec(before.textContent);
    if (!match) return;
    const keep = document.createElement('span');
    keep.className = 'keep';
    const tail = before.splitText(match.index);
    tail.replaceWith(keep);
    keep.append(tail, glue);
    return;
  }
  const match = /[\p{sc=Han}\p{L}\p{N}]{2}[\p{P}\s]*$/u.exec(last.textContent);
  if (!match) return;
  const tail = last.splitText(match.index);
  const keep = document.createElement('span');
  keep.className = 'keep';
  tail.replaceWith(keep);
  keep.append(tail);
}

/** Blocks other than paragraphs (tables, lists, quotes, notes) end on the grid: the space below makes up whole lines. */
function padToGrid(grid, block) {
  const style = getComputedStyle(block);
  const below = parseFloat(style.marginBottom) || 0;
  const total = block.getBoundingClientRect().height + (parseFloat(style.marginTop) || 0) + below;
  const extra = Math.ceil(total / grid.leading - 0.01) * grid.leading - total;
  if (extra > 0.01) block.style.marginBottom = `${below + extra}px`;
}

/** 摄 never stands alone: the photographer's name and 摄 break as one. */
function keepCredit(credit) {
  const text = credit.textContent;
  const match = /\S+\s*摄$/u.exec(text);
  if (!match) return;
  const keep = document.createElement('span');
  keep.className = 'keep';
  keep.textContent = match[0];
  credit.textContent = text.slice(0, match.index);
  credit.append(keep);
}

/** Section wrappers come off so text can flow beside a photo across a head; each head keeps its own wrapper and id. */
function flatten(body) {
  for (const section of [...body.querySelectorAll(':scope > section.section')]) {
    const head = section.querySelector(':scope > h2');
    const rest = [...section.childNodes].filter((node) => node !== head);
    section.after(...rest);
  }
}

/**
 * The two ranges splitParagraph works with, made once: the document keeps every range it has made up to
 * date on each change to its nodes, so thousands of them (one per split of a long article) made every
 * later change dearer.
 */
const charRange = document.createRange();
const headRange = document.createRange();

/** The first box with a width of the character at `offset` in the text `node` (none for a collapsed space, say). */
function charBox(node, offset) {
  charRange.setStart(node, offset);
  charRange.setEnd(node, offset + 1);
  return [...charRange.getClientRects()].find((box) => box.width > 0);
}

/**
 * Where a paragraph laid out in a single column splits after its first `lines` lines, or with `atSentence`
 * after the last sentence that ends in them: sets `headRange` over its first part, and says whether there is
 * such a place. Changes nothing.
 */
function findSplit(grid, paragraph, lines, atSentence = false) {
  const top = laidOut(paragraph).getBoundingClientRect().top;
  const text = charactersOf(paragraph);
  const boxAt = (index) => charBox(...text.at(index));
  // The first character set on line `lines` or later. Found by halves, each character's line read off the
  // middle of its box (where a raised note mark stays on its line), not one box after another: a long
  // paragraph has hundreds. From there on, a line is read off a box's top, as it always was.
  let [low, high, at] = [0, text.length, text.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    let index = middle;
    let box;
    while (index < high && !(box = boxAt(index))) index++;
    if (index === high) high = middle;
    else if (Math.floor(((box.top + box.bottom) / 2 - top) / grid.leading) >= lines) [at, high] = [index, middle];
    else low = index + 1;
  }
  for (; at < text.length; at++) {
    const box = boxAt(at);
    if (box && Math.floor((box.top - top + 1) / grid.leading) >= lines) break;
  }
  if (at === text.length) return false;
  headRange.setStart(paragraph, 0);
  if (atSentence) {
    const sentenceEnd = lastSentenceEnd(text, at);
    if (!sentenceEnd) return false;
    const glue = sentenceEnd.node.parentElement.closest('.glue, .keep');
    if (glue && paragraph.contains(glue)) headRange.setEndAfter(glue);
    else headRange.setEnd(sentenceEnd.node, sentenceEnd.offset);
  } else {
    // Break here, or before the unbreakable span this character belongs to.
    const [node, offset] = text.at(at);
    const keep = node.parentElement.closest('.glue, .keep');
    if (keep && paragraph.contains(keep)) headRange.setEndBefore(keep);
    else headRange.setEnd(node, offset);
  }
  return true;
}

/**
 * The characters of `paragraph`: how many, and the text node and offset of each by its index (found among
 * its few text nodes; a node and offset made for each character cost a long article's plan ~0.5 M objects).
 */
function charactersOf(paragraph) {
  const nodes = [];
  const starts = [];
  let length = 0;
  const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    nodes.push(node);
    starts.push(length);
    length += node.length;
  }
  const at = (index) => {
    let k = nodes.length - 1;
    while (starts[k] > index) k--;
    return [nodes[k], index - starts[k]];
  };
  return { nodes, length, at };
}

/** Where the last sentence that ends before character `end` ends (after its closing quotes and brackets), if one does. */
function lastSentenceEnd({ nodes }, end) {
  let sentenceEnd;
  let index = 0;
  for (const node of nodes) {
    for (let offset = 0; offset < node.length && index < end; offset++, index++) {
      const char = node.data[offset];
      const closes = sentenceEnd?.node === node && sentenceEnd.offset === offset && /[”’」』）)]/u.test(char);
      if (/[。！？!?]/u.test(char) || closes) sentenceEnd = { node, offset: offset + 1 };
    }
  }
  return sentenceEnd;
}

/** The first part of `paragraph`, holding `contents`: one that ends with its sentence ends like a paragraph (unjustified, no 孤字). */
function firstPart(paragraph, contents, atSentence) {
  const first = paragraph.cloneNode(false);
  first.append(contents);
  if (atSentence) keepTail(first);
  else first.classList.add('runs-on');
  return first;
}

/** Splits `paragraph` where findSplit found: returns its first part, set before it; the rest stays, continued. */
function cutAtSplit(paragraph, atSentence) {
  knownLines.delete(paragraph);
  const first = firstPart(paragraph, headRange.extractContents(), atSentence);
  paragraph.classList.add('continued');
  paragraph.before(first);
  return first;
}

/** Splits a paragraph as findSplit finds; returns the new first part (undefined when there is no such place). */
function splitParagraph(grid, paragraph, lines, atSentence = false) {
  return findSplit(grid, paragraph, lines, atSentence) ? cutAtSplit(paragraph, atSentence) : undefined;
}

/**
 * What takeLines takes off the front of `pool` (laid out in the measuring column): how many whole blocks, whether
 * the paragraph after them splits (headRange then spans its first part), and the lines of it all (a paragraph
 * split after n lines keeps n). Changes nothing.
 */
function planTake(grid, pool, capacity, split) {
  let used = 0;
  let count = 0;
  for (; count < pool.length; count++) {
    const lines = linesOf(grid, pool[count]);
    if (used + lines <= capacity) {
      used += lines;
      continue;
    }
    // At least two lines of a split paragraph on each side (a line of the room left over, when need be).
    const room = Math.min(capacity - used, lines - 2);
    if (split && pool[count].tagName === 'P' && room >= 2 && findSplit(grid, pool[count], room, split === 'sentence')) {
      return { count, splits: true, size: used + room };
    }
    break;
  }
  while (count && isHead(pool[count - 1])) used -= linesOf(grid, pool[--count]);
  return { count, splits: false, size: used };
}

/**
 * Takes blocks off the front of `pool` (laid out in the measuring column) worth at most `capacity` lines,
 * splitting a paragraph at a line when it would cross and `split` allows, or at a sentence when it is
 * 'sentence' (its rest stays at the pool's head);
 * a run never ends on a head. Returns the blocks taken.
 */
function takeLines(grid, pool, capacity, split = true) {
  const { count, splits } = planTake(grid, pool, capacity, split);
  const taken = pool.splice(0, count);
  if (splits) {
    taken.split = cutAtSplit(pool[0], split === 'sentence');
    taken.push(taken.split);
  }
  return taken;
}

/**
 * What takeLines(grid, pool, capacity) would take, leaving `pool` and its blocks as they are: the first part
 * of a paragraph it would split comes as a copy, for a probe to lay out.
 */
function peekLines(grid, pool, capacity) {
  const { count, splits } = planTake(grid, pool, capacity, true);
  const blocks = pool.slice(0, count);
  if (splits) blocks.push(firstPart(pool[count], headRange.cloneContents(), false));
  return blocks;
}

/**
 * The sizes, in lines, that takeLines(grid, pool, capacity) takes for each capacity from `most` down to just
 * above `least`, each with the largest capacity that takes it, fullest first: worked out from the blocks' lines
 * and where each paragraph would split, nothing split (splitting, measuring and joining each take cost a long
 * article a third of its plan).
 */
function takeSizes(grid, pool, most, least) {
  const sizes = new Map();
  for (let capacity = most; capacity > least; capacity--) {
    const { size } = planTake(grid, pool, capacity, true);
    if (!sizes.has(size)) sizes.set(size, capacity);
  }
  return [...sizes].sort((a, b) => b[0] - a[0]).map(([, capacity]) => capacity);
}

const isHead = (block) => block.matches('section.section, h3, h4, h5, h6');

/**
 * Forced column breaks in a run of `blocks` (laid out in the measuring column) that is set in `columns`
 * balanced columns, so the columns end within a line or two of each other: Chromium's balancing fills the
 * columns in turn and leaves all that is short (up to a line per column) to the last one, a hole. A
 * paragraph splits at a line; a head never ends a column. Returns the blocks (split parts included) and
 * an undo that puts them back as they were.
 */
function distribute(grid, blocks, columns) {
  const total = blocks.reduce((sum, block) => sum + linesOf(grid, block), 0);
  const even = Math.ceil(total / columns);
  // No taller than need be: the run's height is the least at which its columns hold it all.
  for (let height = even; height < even + MIN_RUN_LINES; height++) {
    const set = breakColumns(grid, blocks, columns, total, height);
    if (set.fits) return set;
    set.undo();
  }
  return { blocks, undo: () => {} };
}

/** One try of distribute(): columns at most `height` lines. */
function breakColumns(grid, blocks, columns, total, height) {
  const out = [...blocks];
  const lines = out.map((block) => linesOf(grid, block));
  const splits = [];
  const breaks = [];
  let tallest = 0;
  let start = 0;
  let index = 0;
  let position = 0;
  for (let column = 1; column < columns && start < total; column++) {
    const target = start + Math.min(height, Math.ceil((total - start) / (columns - column + 1)));
    while (index < out.length && position + lines[index] <= target) position += lines[index++];
    if (index >= out.length) break;
    let at = index;
    let cut = position;
    const inside = target - position;
    if (inside > 0 && out[index].tagName === 'P' && lines[index] - inside >= 1) {
      const first = splitParagraph(grid, out[index], inside);
      if (first) {
        splits.push(first);
        out.splice(index, 0, first);
        lines.splice(index, 1, inside, lines[index] - inside);
        at = index + 1;
        cut = position + inside;
      }
    } else if (inside > 0 && out[index].matches('ul, ol') && splitList(grid, out[index], inside)) {
      const first = out[index].previousElementSibling;
      splits.push(first);
      out.splice(index, 0, first);
      lines.splice(index, 1, linesOf(grid, first), linesOf(grid, out[index + 1]));
      at = index + 1;
      cut = position + lines[index];
    } else if (inside > 0 && inside * 2 > lines[index] && position + lines[index] <= start + height && index + 1 < out.length) {
      // An unsplittable block mostly above the line: the column ends after it.
      at = index + 1;
      cut = position + lines[index];
    }
    // A head never ends a column: it goes to the next one with its text.
    while (at > 0 && isHead(out[at - 1])) cut -= lines[--at];
    if (cut <= start || at >= out.length) continue;
    out[at].style.breakBefore = 'column';
    breaks.push(out[at]);
    tallest = Math.max(tallest, cut - start);
    start = cut;
    [index, position] = [at, cut];
  }
  const undo = () => {
    for (const block of breaks) block.style.breakBefore = '';
    for (const first of splits.reverse()) joinSplit(first);
  };
  return { blocks: out, undo, fits: Math.max(tallest, total - start) <= height };
}

/** Joins a paragraph split by splitParagraph, or a list split by splitList, back into one. */
function joinSplit(first) {
  const rest = first.nextElementSibling;
  knownLines.delete(rest);
  rest.prepend(...first.childNodes);
  if (rest.tagName === 'P') rest.classList.toggle('continued', first.classList.contains('continued'));
  else {
    if (first.hasAttribute('start')) rest.setAttribute('start', first.getAttribute('start'));
    else rest.removeAttribute('start');
    rest.style.marginBottom = first.style.marginBottom;
  }
  first.remove();
}

/**
 * Splits a list laid out in a single column between two items, after the last item that starts within
 * its first `lines` lines (a numbered list goes on counting); false when no item but the first does.
 */
function splitList(grid, list, lines) {
  const top = laidOut(list).getBoundingClientRect().top;
  const items = [...list.children];
  const at = items.findLastIndex((item, index) => index > 0 && item.getBoundingClientRect().top - top < lines * grid.leading - 1);
  if (at <= 0) return false;
  knownLines.delete(list);
  const first = list.cloneNode(false);
  first.append(...items.slice(0, at));
  list.before(first);
  if (list.tagName === 'OL') list.setAttribute('start', String((Number(first.getAttribute('start')) || 1) + at));
  first.style.marginBottom = '';
  padToGrid(grid, first);
  return true;
}

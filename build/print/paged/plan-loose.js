// Part of the make-up plan (loaded before plan.js; runs in the browser): loose lines. A justified line whose
// characters stand more than a quarter em apart gets its punctuation, and the next line's, set half-width (the
// font's `halt`), then both a little tighter — kept only where the line is no longer loose.
/* exported mayBeLoose, tighten */
/* global charBox */

/** Full-width punctuation whose blank half the font's `halt` feature can take away. */
const HALVABLE = /[，。、；：？！“”‘’「」『』（）《》〈〉【】]/u;
/** A Latin letter or digit: text-autospace sets a quarter em between it and a Han character. */
const LATIN = /[A-Za-z0-9]/;
/** Most extra space a justified line may put after each character, in em. */
const MAX_LOOSE = 0.25;

/**
 * The one range these functions measure lines and wrap with (a character is measured by plan-text.js's charBox).
 * Every range made stays live (the document updates it on each change to its nodes) until garbage collected:
 * one made per block, line or run made a long article's later changes dearer and dearer (removing or splitting
 * a node cost 15× more at 73 pages than at 13).
 */
const looseRange = document.createRange();

/**
 * A block's characters with their text node and offset, line by line as laid out, measured only as far as
 * asked. Once tighten changes a line, it reads again from the line before (a halved mark can pull a phrase back
 * onto it; the lines above cannot change): read whole again after each change, a long article's paragraphs
 * were measured character by character some five times over.
 */
class LaidLines {
  constructor(block) {
    this.block = block;
    this.walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    this.lines = [];
    this.readFrom(0);
  }

  /** Forgets line `from` and those after it, to read them again from its first character. */
  readFrom(from) {
    const first = this.lines[from]?.[0];
    this.lines.length = Math.min(from, this.lines.length);
    this.walker.currentNode = first?.node ?? this.block;
    [this.node, this.offset] = first ? [first.node, first.offset] : [this.walker.nextNode(), 0];
  }

  /** Line `index` as laid out (read until the line after it begins), or undefined past the last. */
  line(index) {
    while (this.node && this.lines.length < index + 2) this.readCharacter();
    return this.lines[index];
  }

  readCharacter() {
    const { node, offset } = this;
    [this.node, this.offset] = offset + 1 < node.length ? [node, offset + 1] : [this.walker.nextNode(), 0];
    // An empty text node has none.
    const rect = offset < node.length && charBox(node, offset);
    if (!rect) return;
    const line = this.lines[this.lines.length - 1];
    const char = { char: node.data[offset], node, offset, top: rect.top, left: rect.left, width: rect.width };
    if (line && Math.abs(line[0].top - rect.top) < 2 && rect.left > line[line.length - 1].left) line.push(char);
    else this.lines.push([char]);
  }
}

/** Whether a justified line spaces its Han characters more than MAX_LOOSE em apart (the autospace beside a Latin letter or digit aside). */
function isLoose(line, next, em) {
  const chars = [...line, next[0]];
  return line.some((c, index) => /\p{sc=Han}/u.test(c.char) && c.width - em > MAX_LOOSE * em &&
    !LATIN.test(chars[index - 1]?.char ?? '') && !LATIN.test(chars[index + 1]?.char ?? ''));
}

/**
 * The blocks that may have a loose line, found at once for all (character by character is slow): laid out
 * ragged (article-body--ragged, set by the caller), a line's blank end shared between its characters is about
 * what justifying it puts after each.
 */
function mayBeLoose(blocks) {
  return blocks.filter((block) => {
    const em = parseFloat(getComputedStyle(block).fontSize);
    const box = block.getBoundingClientRect();
    looseRange.selectNodeContents(block);
    const ends = new Map();
    for (const rect of looseRange.getClientRects()) {
      if (rect.width < 0.5) continue;
      const top = Math.round(rect.top / 4);
      const [left, right] = ends.get(top) ?? [rect.left, rect.right];
      ends.set(top, [Math.min(left, rect.left), Math.max(right, rect.right)]);
    }
    const lines = [...ends.values()].slice(0, -1);
    return lines.some(([left, right]) => (box.right - right) / Math.max(1, (right - left) / em) > (MAX_LOOSE - 0.05) * em);
  });
}

/**
 * Wraps the given characters (from LaidLines) in spans of `className`, a span for each run of them in
 * one text node; returns the spans.
 */
function wrapChars(chars, className) {
  const runs = [];
  for (const c of chars) {
    const run = runs[runs.length - 1];
    if (run && run.node === c.node && run.end === c.offset) run.end++;
    else runs.push({ node: c.node, start: c.offset, end: c.offset + 1 });
  }
  // From the last, so the offsets of those before stay valid as the text nodes split.
  return runs.reverse().map(({ node, start, end }) => {
    looseRange.setStart(node, start);
    looseRange.setEnd(node, end);
    const span = document.createElement('span');
    span.className = className;
    looseRange.surroundContents(span);
    return span;
  });
}

/**
 * A loose line (the next phrase would not fit on it, the space spread between its characters) takes more
 * of the text as the compositor would: first its punctuation and the next line's set half-width (标点挤压),
 * then, if that is not enough, both lines tracked a little tighter. Kept only where the line is no longer loose.
 */
function tighten(block) {
  const em = parseFloat(getComputedStyle(block).fontSize);
  const laid = new LaidLines(block);
  const loose = (index) => laid.line(index + 1) && isLoose(laid.line(index), laid.line(index + 1), em);
  for (let index = 0; laid.line(index + 1); index++) {
    if (!loose(index)) continue;
    const marks = [...laid.line(index), ...laid.line(index + 1)].filter((c) => HALVABLE.test(c.char) && !c.node.parentElement.closest('.halt'));
    const spans = wrapChars(marks, 'halt');
    laid.readFrom(Math.max(0, index - 1));
    if (loose(index)) {
      spans.push(...wrapChars([...laid.line(index), ...laid.line(index + 1)], 'tight'));
      laid.readFrom(Math.max(0, index - 1));
    }
    if (loose(index)) {
      for (const span of spans) span.replaceWith(...span.childNodes);
      block.normalize();
      laid.readFrom(Math.max(0, index - 1));
    }
  }
}

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

/** A block's characters with their text node and offset, line by line as laid out. */
function linesOfText(block) {
  const lines = [];
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let offset = 0; offset < node.length; offset++) {
      const rect = charBox(node, offset);
      if (!rect) continue;
      const line = lines[lines.length - 1];
      const char = { char: node.data[offset], node, offset, top: rect.top, left: rect.left, width: rect.width };
      if (line && Math.abs(line[0].top - rect.top) < 2 && rect.left > line[line.length - 1].left) line.push(char);
      else lines.push([char]);
    }
  }
  return lines;
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
 * Wraps the given characters (from linesOfText) in spans of `className`, a span for each run of them in
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
  let lines = linesOfText(block);
  for (let index = 0; index < lines.length - 1; index++) {
    if (!isLoose(lines[index], lines[index + 1], em)) continue;
    const marks = [...lines[index], ...lines[index + 1]].filter((c) => HALVABLE.test(c.char) && !c.node.parentElement.closest('.halt'));
    const spans = wrapChars(marks, 'halt');
    lines = linesOfText(block);
    if (lines[index + 1] && isLoose(lines[index], lines[index + 1], em)) {
      spans.push(...wrapChars([...lines[index], ...lines[index + 1]], 'tight'));
      lines = linesOfText(block);
    }
    if (lines[index + 1] && isLoose(lines[index], lines[index + 1], em)) {
      for (const span of spans) span.replaceWith(...span.childNodes);
      block.normalize();
      lines = linesOfText(block);
    }
  }
}

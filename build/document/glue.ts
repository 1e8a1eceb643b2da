// Keeps ——, ……, · and ～ off line starts (clreq): each is glued to the character before it, since
// Chromium's line breaking allows a break before them.
const GLUED = /([^\s<>&])(——|……|·|～)/gu;

/** Wraps each gluing pair of already-escaped text in a no-break span. */
export function glueText(escaped: string): string {
  return escaped.replace(GLUED, '<span class="glue">$1$2</span>');
}

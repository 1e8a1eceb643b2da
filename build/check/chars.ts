// Character classes the proofreading rules share: Han characters and full-width Chinese punctuation.

const HAN = /\p{Script=Han}/u;
/** Full-width punctuation that belongs to Chinese text (clreq §3.1). */
export const CJK_PUNCTUATION = '，。、；：？！“”‘’「」『』（）《》〈〉【】…—·～';
/** Marks that may end a paragraph: stops, closing quotes and brackets, ellipsis, and their Western forms. */
export const CLOSING_PUNCTUATION = '。！？；：…”’」』）》】.!?;:)"\'';

export function isHan(char: string | undefined): boolean {
  return char !== undefined && HAN.test(char);
}

/** Han characters and full-width punctuation: text in which half-width marks and spaces are out of place. */
export function isHanContext(char: string | undefined): boolean {
  return char !== undefined && (HAN.test(char) || CJK_PUNCTUATION.includes(char));
}

export function isSpace(char: string | undefined): boolean {
  return char === ' ' || char === '\t' || char === '\u3000';
}

// Which kinds of text block the proofreading rules read: prose wherever it stands, and heads and credits besides.
import type { BlockKind } from '../model/text.ts';

/** Running text: paragraphs, list items, quotes, table cells, notes, captions and alt text. */
export const PROSE: readonly BlockKind[] = ['paragraph', 'item', 'quote', 'cell', 'note', 'caption', 'alt'];
/** Prose, heads (which keep deliberate spaces between phrases), credits and the description. */
export const PROSE_AND_HEADS: readonly BlockKind[] = [...PROSE, 'heading', 'credit', 'meta'];

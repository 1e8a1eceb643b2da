// What the checks produce and how a rule is shaped: findings with a place in article.md and, where known, a fix.
import type { BlockKind } from '../model/text.ts';

export type Severity = 'error' | 'warning';

/** A replacement for a span of the article file; `safe` fixes are the ones `banmian check --fix` applies. */
export interface Fix {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  text: string;
  safe: boolean;
}

/** One finding, pointing into the article file: 1-based line and column (UTF-16 code units, as editors count). */
export interface Finding {
  file: string;
  line: number;
  column: number;
  rule: string;
  severity: Severity;
  message: string;
  fix?: Fix;
}


/** A finding from a text rule, as offsets into the text it was given. */
export interface TextHit {
  start: number;
  end: number;
  message: string;
  fix?: { start: number; end: number; text: string; safe: boolean };
}

/** What a rule may know beyond its block: the next block of the same flow, and every block the rule reads. */
export interface RuleContext {
  next?: string;
  all: readonly string[];
}

/**
 * A proofreading rule: a pure function over the text of one block (a paragraph, a head, a caption…),
 * with a stable id that directives and `disable:` name.
 */
export interface TextRule {
  id: string;
  severity: Severity;
  /** The kinds of block the rule reads; e.g. heads keep deliberate spaces between phrases. */
  kinds: readonly BlockKind[];
  check(text: string, context?: RuleContext): TextHit[];
}

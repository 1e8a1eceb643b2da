// The check stage: proofreads an article's Chinese text and preflights its photos, fonts and copyfit, all on
// the one model the build typesets from. The loader's own diagnostics (a missing photo, raw HTML, bad front
// matter) are findings too, so `check` and `build` report the same problems, all at once.
import type { Browser } from 'puppeteer';
import { DIAGNOSTIC_CODES } from '../model/diagnostics.ts';
import { readArticle, resolveArticle, type Article, type ArticleSource } from '../model/load.ts';
import { lineStartsOf, positionAt } from '../model/lines.ts';
import type { TextBlock } from '../model/text.ts';
import { log, timed } from '../log.ts';
import { openBrowser } from '../print/browser.ts';
import { PRESETS, type PresetName } from '../print/presets.ts';
import { measureCopyfit } from './copyfit.ts';
import { readDirectives } from './directives.ts';
import { loadCoverage } from './fonts.ts';
import { TEXT_RULES } from './rules/index.ts';
import { COPYFIT, copyfit, pageStartPosition } from './rules/copyfit.ts';
import { FIGURE_FIELDS, missingFigureFields } from './rules/figure-fields.ts';
import { FONT_FALLBACK, fontFallback } from './rules/font-fallback.ts';
import { IMAGE_RESOLUTION, imageResolution } from './rules/image-resolution.ts';
import { LOOSE_LINE, looseLineMessage } from './rules/loose-line.ts';
import { PRESS_PREFLIGHT, pressImageFacts, pressPreflight } from './rules/press-preflight.ts';
import type { Finding, Severity, TextHit } from './types.ts';

export const UNKNOWN_RULE = 'unknown-rule';

/** Every rule id a directive or `disable:` may name. */
export const RULE_IDS: readonly string[] = [
  ...TEXT_RULES.map((rule) => rule.id),
  FONT_FALLBACK,
  ...Object.keys(FIGURE_FIELDS),
  IMAGE_RESOLUTION,
  PRESS_PREFLIGHT,
  COPYFIT,
  LOOSE_LINE,
  ...DIAGNOSTIC_CODES,
  UNKNOWN_RULE,
];

export interface CheckArticleOptions {
  /** The article: a Markdown file or an article folder. */
  dir: string | ArticleSource;
  /** The print preset whose column widths the photos are measured against, and the pages copyfit against. */
  preset: PresetName;
  /** Paginate in Chromium to measure copyfit when the article has a `pages` target (default true). */
  copyfit?: boolean;
  /** `ws://…` of a running Chromium to paginate on. */
  browserEndpoint?: string;
  /** A Chromium already open (the preview's) to paginate in; else one is opened for the copyfit and closed after it. */
  browser?: Browser;
  /** Preflight the photos for the press PDF (`--pdfx`) too, against its total ink limit (per cent). */
  press?: { maxInk: number };
  signal?: AbortSignal;
}

export interface CheckedArticle {
  /** The article file as the user would name it. */
  file: string;
  /** Absolute path of the article file. */
  path: string;
  source: string;
  /** Sorted by line, then column. */
  findings: Finding[];
}

/**
 * Checks one article. Only an unreadable file throws; every problem of the manuscript is a finding.
 *
 * @example
 * const { findings } = await checkArticle({ dir: 'manuscript/changsha-manufacturing-2025', preset: 'broadsheet' });
 */
export async function checkArticle(options: CheckArticleOptions): Promise<CheckedArticle> {
  const where = typeof options.dir === 'string' ? await resolveArticle(options.dir) : options.dir;
  const { article, diagnostics } = await readArticle(where);
  const { file, source, frontMatter } = article;
  const lineStarts = lineStartsOf(source);
  const findings: Finding[] = [];
  const add = (rule: string, severity: Severity, offset: number, message: string, fix?: Finding['fix']) => {
    findings.push({ file, ...positionAt(lineStarts, offset), rule, severity, message, ...(fix ? { fix } : {}) });
  };
  const addHit = (rule: string, severity: Severity, block: TextBlock, hit: TextHit) => {
    const fix = hit.fix && {
      ...positionAt(lineStarts, offsetOf(block, hit.fix.start)),
      ...endPosition(lineStarts, block, hit.fix.start, hit.fix.end),
      text: hit.fix.text,
      safe: hit.fix.safe,
    };
    add(rule, severity, offsetOf(block, hit.start), hit.message, fix);
  };

  for (const diagnostic of diagnostics) {
    findings.push({
      file,
      line: diagnostic.line ?? 1,
      column: diagnostic.column ?? 1,
      rule: diagnostic.code,
      severity: diagnostic.severity,
      message: `${diagnostic.message}${diagnostic.hint ? ` — ${diagnostic.hint}` : ''}`,
    });
  }

  const coverage = await loadCoverage();
  for (const rule of TEXT_RULES) {
    const blocks = article.text.filter((block) => rule.kinds.includes(block.kind));
    const all = blocks.map((block) => block.text);
    blocks.forEach((block, index) => {
      for (const hit of rule.check(block.text, { next: all[index + 1], all })) addHit(rule.id, rule.severity, block, hit);
    });
  }
  for (const block of article.text) for (const hit of fontFallback(block, coverage)) addHit(FONT_FALLBACK, 'error', block, hit);

  const preset = PRESETS[options.preset];
  for (const figure of article.figures) {
    const imageLine = lineStarts[figure.line - 1];
    for (const rule of missingFigureFields(figure)) add(rule, 'error', rule === 'figure-alt' ? source.indexOf('![', imageLine) + 2 : imageLine, FIGURE_FIELDS[rule].message);
    const resolution = figure.width ? imageResolution(figure, preset) : undefined;
    if (resolution) add(IMAGE_RESOLUTION, resolution.severity, figure.srcOffset, resolution.message);
    // Press preflight (--pdfx): rules/press-preflight.ts.
    const pressHit = options.press && figure.width ? pressPreflight(await pressImageFacts(figure.src, figure.path), options.press.maxInk) : undefined;
    if (pressHit) add(PRESS_PREFLIGHT, pressHit.severity, figure.srcOffset, pressHit.message);
  }

  // Copyfit needs the real pages, so the article must be one the build would typeset.
  const disabled = new Set(frontMatter.disable ?? []);
  const target = frontMatter.pages;
  if (target && options.copyfit !== false && !disabled.has(COPYFIT)) {
    if (diagnostics.some((diagnostic) => diagnostic.severity === 'error')) {
      log.warn(`${file}: copyfit is measured once the errors above are fixed`);
    } else {
      const session = options.browser ? undefined : await openBrowser({ endpoint: options.browserEndpoint, signal: options.signal });
      const measure = await timed(`copyfit ${article.slug}`, () => measureCopyfit({ article, preset, browser: options.browser ?? session!.browser }))
        .finally(() => session?.release());
      const hit = copyfit(measure, target);
      // Overset at the point where the text runs over; underset at the `pages:` value, the target it is measured against.
      const over = hit?.at && pageStartPosition(source, hit.at);
      const value = /^pages[ \t]*:[ \t]*/m.exec(source.slice(0, lineStarts[article.bodyOffset - 1] ?? 0));
      if (hit) add(COPYFIT, hit.severity, over ? lineStarts[over.line - 1] + over.column - 1 : value ? value.index + value[0].length : 0, hit.message);
      // The same pages show the loose lines the layout could not avoid: at the run to blame, in its paragraph.
      for (const loose of measure.loose) {
        const from = loose.sourceLine ? lineStarts[loose.sourceLine - 1] : 0;
        const at = source.indexOf(loose.run, from);
        add(LOOSE_LINE, 'warning', at >= 0 ? at : from, looseLineMessage(loose));
      }
    }
  }
  return { file, path: article.path, source, findings: applyDirectives(article, findings, disabled) };
}

/** Drops what `disable:` (the article) or a directive comment (one line) switches off; reports unknown rule ids. */
function applyDirectives(article: Article, findings: Finding[], disabled: Set<string>): Finding[] {
  const { file, source } = article;
  const directives = readDirectives(article);
  const silenced = new Map<number, string[][]>();
  for (const directive of directives) {
    for (const line of directive.lines) silenced.set(line, [...(silenced.get(line) ?? []), directive.rules]);
  }
  const kept = findings.filter((finding) =>
    !disabled.has(finding.rule) &&
    !silenced.get(finding.line)?.some((rules) => !rules.length || rules.includes(finding.rule)));
  for (const directive of directives) {
    for (const rule of directive.rules.filter((id) => !RULE_IDS.includes(id))) {
      kept.push({ file, line: directive.line, column: directive.column, rule: UNKNOWN_RULE, severity: 'warning', message: `the directive names an unknown rule "${rule}"; known rules: ${RULE_IDS.join(', ')}` });
    }
  }
  for (const rule of disabled) {
    if (RULE_IDS.includes(rule)) continue;
    const line = source.split('\n').findIndex((text) => /^disable\s*:/.test(text)) + 1;
    kept.push({ file, line: line || 1, column: 1, rule: UNKNOWN_RULE, severity: 'warning', message: `\`disable\` names an unknown rule "${rule}"; known rules: ${RULE_IDS.join(', ')}` });
  }
  return kept.sort((a, b) => a.line - b.line || a.column - b.column);
}

function offsetOf(block: TextBlock, index: number): number {
  return index < block.offsets.length ? block.offsets[index] : block.offsets[block.offsets.length - 1] + 1;
}

/** The position just past a fix's last character. */
function endPosition(lineStarts: number[], block: TextBlock, start: number, end: number): { endLine: number; endColumn: number } {
  const offset = end > start ? block.offsets[end - 1] + 1 : offsetOf(block, start);
  const { line, column } = positionAt(lineStarts, offset);
  return { endLine: line, endColumn: column };
}

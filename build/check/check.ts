// The check stage: proofreads an article's Chinese text and preflights its photos, fonts and copyfit.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'puppeteer';
import { UserError } from '../errors.ts';
import { parseArticle } from '../manuscript/front-matter.ts';
import { ARTICLE_FILE, loadArticle, type Article } from '../manuscript/load.ts';
import { createMarkdownRenderer } from '../markdown/render.ts';
import type { FigureData } from '../markdown/env.ts';
import { log, timed } from '../log.ts';
import { openBrowser } from '../print/browser.ts';
import { PRESETS, type PresetName } from '../print/presets.ts';
import { readText, type TextBlock } from './blocks.ts';
import { measureCopyfit } from './copyfit.ts';
import { loadCoverage } from './fonts.ts';
import { lineStartsOf, positionAt } from './lines.ts';
import { TEXT_RULES } from './rules/index.ts';
import { COPYFIT, copyfit, pageStartPosition } from './rules/copyfit.ts';
import { FIGURE_FIELDS, missingFigureFields } from './rules/figure-fields.ts';
import { FONT_FALLBACK, fontFallback } from './rules/font-fallback.ts';
import { IMAGE_RESOLUTION, imageResolution } from './rules/image-resolution.ts';
import type { Finding, Severity, TextHit } from './types.ts';

export const IMAGE_MISSING = 'image-missing';
export const IMAGE_UNREADABLE = 'image-unreadable';
export const UNKNOWN_RULE = 'unknown-rule';

/** Every rule id a directive or `disable:` may name. */
export const RULE_IDS: readonly string[] = [
  ...TEXT_RULES.map((rule) => rule.id),
  FONT_FALLBACK,
  ...Object.keys(FIGURE_FIELDS),
  IMAGE_MISSING,
  IMAGE_UNREADABLE,
  IMAGE_RESOLUTION,
  COPYFIT,
  UNKNOWN_RULE,
];

export interface CheckArticleOptions {
  /** The article folder. */
  dir: string;
  /** The print preset whose column widths the photos are measured against, and the pages copyfit against. */
  preset: PresetName;
  /** Paginate in Chromium to measure copyfit when the article has a `pages` target (default true). */
  copyfit?: boolean;
  /** `ws://…` of a running Chromium to paginate on. */
  browserEndpoint?: string;
  /** A Chromium already open (the preview's) to paginate in; else one is opened for the copyfit and closed after it. */
  browser?: Browser;
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

const renderMarkdown = createMarkdownRenderer();

/**
 * Checks one article folder. Bad front matter or markup is thrown as a UserError, as the build does;
 * a missing or unreadable photo becomes a finding so that the text is still proofread.
 *
 * @example
 * const { findings } = await checkArticle({ dir: 'manuscript/changsha-manufacturing-2025', preset: 'broadsheet' });
 */
export async function checkArticle(options: CheckArticleOptions): Promise<CheckedArticle> {
  const { article, loaded, imageFailure } = await loadForCheck(options.dir);
  const { file, source, bodyOffset, frontMatter } = article;
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

  const disabled = new Set(frontMatter.disable ?? []);
  const { blocks, directives } = readText(source, bodyOffset);
  const coverage = await loadCoverage();
  for (const block of blocks) {
    for (const rule of TEXT_RULES) {
      if (rule.kinds.includes(block.kind)) for (const hit of rule.check(block.text)) addHit(rule.id, rule.severity, block, hit);
    }
    for (const hit of fontFallback(block, coverage)) addHit(FONT_FALLBACK, 'error', block, hit);
  }

  const preset = PRESETS[options.preset];
  for (const figure of article.figures) {
    const imageLine = lineStarts[figure.line - 1];
    const srcOffset = imageLine + Math.max(0, source.slice(imageLine).indexOf(`](${figure.src}`) + 2);
    for (const rule of missingFigureFields(figure)) add(rule, 'error', rule === 'figure-alt' ? source.indexOf('![', imageLine) + 2 : imageLine, FIGURE_FIELDS[rule].message);
    if (imageFailure?.line === figure.line) {
      add(imageFailure.code === IMAGE_MISSING ? IMAGE_MISSING : IMAGE_UNREADABLE, 'error', srcOffset, `${imageFailure.message}${imageFailure.hint ? ` — ${imageFailure.hint}` : ''}`);
    }
    const resolution = 'width' in figure ? imageResolution(figure, preset) : undefined;
    if (resolution) add(IMAGE_RESOLUTION, resolution.severity, srcOffset, resolution.message);
  }

  // Copyfit needs the real pages, so every photo must load; the article is then laid out as the PDF is.
  const target = frontMatter.pages;
  if (target && options.copyfit !== false && !disabled.has(COPYFIT)) {
    if (!loaded) {
      log.warn(`${file}: copyfit is measured once every photo loads`);
    } else {
      const session = options.browser ? undefined : await openBrowser({ endpoint: options.browserEndpoint, signal: options.signal });
      const measure = await timed(`copyfit ${loaded.slug}`, () => measureCopyfit({ article: loaded, preset, browser: options.browser ?? session!.browser }))
        .finally(() => session?.release());
      const hit = copyfit(measure, target);
      // Overset at the point where the text runs over; underset at the `pages:` value, the target it is measured against.
      const over = hit?.at && pageStartPosition(source, hit.at);
      const value = /^pages[ \t]*:[ \t]*/m.exec(source.slice(0, lineStarts[bodyOffset - 1]));
      if (hit) add(COPYFIT, hit.severity, over ? lineStarts[over.line - 1] + over.column - 1 : value ? value.index + value[0].length : 0, hit.message);
    }
  }

  // Switched off per article (`disable:` in the front matter) or per line (a directive comment).
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
  kept.sort((a, b) => a.line - b.line || a.column - b.column);
  return { file, path: path.resolve(options.dir, ARTICLE_FILE), source, findings: kept };
}

type CheckableArticle = Pick<Article, 'file' | 'source' | 'bodyOffset' | 'frontMatter'> & { figures: (FigureData | Article['figures'][number])[] };

/** The loaded article; when a photo cannot be read, the article without photo data and the reason. */
async function loadForCheck(dir: string): Promise<{ article: CheckableArticle; loaded?: Article; imageFailure?: UserError }> {
  try {
    const loaded = await loadArticle(dir);
    return { article: loaded, loaded };
  } catch (error) {
    if (!(error instanceof UserError) || !error.file) throw error;
    const source = await readFile(path.join(dir, ARTICLE_FILE), 'utf8');
    const { frontMatter, body, bodyOffset } = parseArticle(source, error.file);
    const { figures } = renderMarkdown(body, { file: error.file, lineOffset: bodyOffset });
    // Only a photo's failure is a finding; anything else wrong with the article stops the check as it stops the build.
    if (!figures.some((figure) => figure.line === error.line)) throw error;
    return { article: { file: error.file, source, bodyOffset, frontMatter, figures }, imageFailure: error };
  }
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

// The proofreading rules as pure functions on strings, and the fix applier.
import { describe, expect, it } from 'vitest';
import { applySafeFixes } from '../build/check/fix.ts';
import { TEXT_RULES } from '../build/check/rules/index.ts';
import { imageResolution } from '../build/check/rules/image-resolution.ts';
import { missingFigureFields } from '../build/check/rules/figure-fields.ts';
import { fontFallback } from '../build/check/rules/font-fallback.ts';
import { copyfit, pageStartPosition } from '../build/check/rules/copyfit.ts';
import { loadCoverage } from '../build/check/fonts.ts';
import { PRESETS } from '../build/print/presets.ts';
import type { Finding } from '../build/check/types.ts';

const rule = (id: string) => TEXT_RULES.find((candidate) => candidate.id === id)!;
/** Each hit as [found text, suggested replacement or null]. */
const hits = (id: string, text: string, all: readonly string[] = [text]) =>
  rule(id).check(text, { all }).map((hit) => [text.slice(hit.start, hit.end), hit.fix ? text.slice(0, hit.fix.start) + hit.fix.text + text.slice(hit.fix.end) : null]);

describe('halfwidth-punctuation', () => {
  it('flags each of , : ; ? ! ( ) next to Han and suggests the full-width mark', () => {
    expect(hits('halfwidth-punctuation', '长沙,制造')).toEqual([[',', '长沙，制造']]);
    expect(hits('halfwidth-punctuation', '提升123%,人员')).toEqual([[',', '提升123%，人员']]);
    expect(hits('halfwidth-punctuation', '新能源汽车(含燃油车)产业').map(([mark]) => mark)).toEqual(['(', ')']);
    expect(hits('halfwidth-punctuation', '问:答;好?好!').map(([mark]) => mark)).toEqual([':', ';', '?', '!']);
  });

  it('takes the spaces around the mark out with it', () => {
    expect(hits('halfwidth-punctuation', '长沙 , 制造')).toEqual([]);
    expect(hits('halfwidth-punctuation', '长沙, 制造')).toEqual([[',', '长沙，制造']]);
    expect(hits('halfwidth-punctuation', '芯片 (含税)')).toEqual([['(', '芯片（含税)'], [')', '芯片 (含税）']]);
  });

  it('turns a full stop after Han into 。, and suggests curly quotes for straight ones', () => {
    expect(hits('halfwidth-punctuation', '发展.下一句.')).toEqual([['.', '发展。下一句.'], ['.', '发展.下一句。']]);
    expect(hits('halfwidth-punctuation', '增长7.5%，见a.txt，等等...')).toEqual([]);
    expect(hits('halfwidth-punctuation', '所谓"长沙智造"的')).toEqual([['"', '所谓“长沙智造"的'], ['"', '所谓"长沙智造”的']]);
    expect(rule('halfwidth-punctuation').check('所谓"长沙智造"的').map((hit) => hit.fix?.safe)).toEqual([false, false]);
  });

  it('leaves times, numbers and Latin text alone', () => {
    expect(hits('halfwidth-punctuation', '10:30开会，1,000人，Hello, world (see p. 3)')).toEqual([]);
  });
});

describe('bracket-pairs', () => {
  it('finds unclosed, unopened and mismatched quotes and brackets', () => {
    expect(rule('bracket-pairs').check('引号“没有闭合').map((hit) => hit.start)).toEqual([2]);
    expect(rule('bracket-pairs').check('多余的」在这里').map((hit) => hit.message)).toEqual(['「」」前面没有对应的「「」']);
    expect(rule('bracket-pairs').check('《长沙晚报〉').map((hit) => hit.message)).toEqual(['「《」被「〉」闭合，应为「》」']);
    expect(rule('bracket-pairs').check('“外面「里面”').map((hit) => hit.message)).toEqual(['「「」在「”」之前没有闭合，补上「」」']);
  });

  it('accepts the quotation convention for several paragraphs: each opens with “, only the last one closes', () => {
    const paragraphs = ['“第一段引文。', '“第二段引文。', '“最后一段引文。”'];
    const found = paragraphs.map((text, index) => rule('bracket-pairs').check(text, { next: paragraphs[index + 1], all: paragraphs }));
    expect(found).toEqual([[], [], []]);
    expect(rule('bracket-pairs').check('“没有下文的引文。', { next: '普通的下一段。', all: [] })).toHaveLength(1);
  });

  it('accepts balanced, nested pairs and apostrophes in English', () => {
    expect(rule('bracket-pairs').check('“他说‘好’”，《书》（注）「高」『新』，it’s fine')).toEqual([]);
  });
});

describe('ellipsis-form and dash-form', () => {
  it('turns ... 。。。 … ⋯ into ……, and keeps …… and …………', () => {
    expect(hits('ellipsis-form', '发展... 很好')).toEqual([['...', '发展……很好']]);
    expect(hits('ellipsis-form', '等等。。。')).toEqual([['。。。', '等等……']]);
    expect(hits('ellipsis-form', '单个…不对')).toEqual([['…', '单个……不对']]);
    expect(hits('ellipsis-form', '三个………也不对')).toEqual([['………', '三个……也不对']]);
    expect(hits('ellipsis-form', '领先……\n…………\nwait...')).toEqual([]);
  });

  it('flags a lone — used as a dash, and keeps connectors in a series or a range', () => {
    expect(hits('dash-form', '他说—我们走吧')).toEqual([['—', '他说——我们走吧']]);
    expect(hits('dash-form', '连字符--不对，横线──也不对')).toEqual([['--', '连字符——不对，横线──也不对'], ['──', '连字符--不对，横线——也不对']]);
    expect(hits('dash-form', '“世界级—国家级—省级—省级培育对象”，2011—2025年，走吧——时间不早了')).toEqual([]);
  });
});

describe('doubled-punctuation, han-space, han-latin-space, truncated-paragraph', () => {
  it('finds doubled marks but allows ？！', () => {
    expect(hits('doubled-punctuation', '重复，，标点。，还有')).toEqual([['，，', '重复，标点。，还有'], ['。，', '重复，，标点。还有']]);
    expect(hits('doubled-punctuation', '真的吗？！')).toEqual([]);
  });

  it('finds stray spaces between Han characters, not between Han and Latin', () => {
    expect(hits('han-space', '汉字 有空格，全角　空格')).toEqual([[' ', '汉字有空格，全角　空格'], ['　', '汉字 有空格，全角空格']]);
    expect(hits('han-space', 'AGV 小车')).toEqual([]);
    expect(rule('han-space').kinds).not.toContain('heading');
    const unspaced = ['使用AGV小车，增长7.5%左右，H股与A股'];
    expect(hits('han-latin-space', '使用 AGV 小车，增长 7.5% 左右', unspaced)).toEqual([[' ', '使用AGV 小车，增长 7.5% 左右'], [' ', '使用 AGV小车，增长 7.5% 左右'], [' ', '使用 AGV 小车，增长7.5% 左右'], [' ', '使用 AGV 小车，增长 7.5%左右']]);
  });

  it('finds a paragraph that stops mid-sentence', () => {
    expect(rule('truncated-paragraph').check('三大项目正').map((hit) => hit.start)).toEqual([4]);
    expect(rule('truncated-paragraph').check('未来可期。')).toEqual([]);
    expect(rule('truncated-paragraph').check('他说：“好。”')).toEqual([]);
  });

  it('takes a numbered label on a line of its own for a head, not a cut-off paragraph', () => {
    for (const label of ['1、标题', '一、总体要求', '（二）工作目标', '(3) 保障措施']) expect(rule('truncated-paragraph').check(label)).toEqual([]);
    expect(rule('truncated-paragraph').check('1、这一段说到一半就断了，后面还有很长的文字没有排进来而且一直没有结束的标点符号出现在这里')).toHaveLength(1);
  });

  it('holds an article that types spaces between Han and Latin to its own convention', () => {
    const spaced = ['使用 AGV 小车', '增长 7.5% 左右', '发布 iPhone 手机'];
    expect(hits('han-latin-space', '使用 AGV 小车', spaced)).toEqual([]);
    expect(hits('han-latin-space', '发布iPhone手机', spaced)).toEqual([['', '发布 iPhone手机'], ['', '发布iPhone 手机']]);
  });
});

describe('hostile input', () => {
  it('reads 60,000 unclosed quotes, dashes, spaces and commas and reports each', () => {
    const count = (id: string, text: string) => rule(id).check(text).length;
    expect(count('bracket-pairs', '“'.repeat(60_000) + '」')).toBe(60_000);
    expect(count('dash-form', '甲—'.repeat(30_000) + '乙')).toBe(0);
    expect(count('han-space', `汉${' '.repeat(60_000)}a`)).toBe(0);
    expect(count('halfwidth-punctuation', '汉,'.repeat(30_000))).toBe(30_000);
  });
});

describe('preflight rules', () => {
  it('rates a photo by its pixels across the columns it spans', () => {
    expect(imageResolution({ src: 'a.jpg', width: 600, cols: 3 }, PRESETS.broadsheet)).toMatchObject({ severity: 'error', ppi: 116 });
    expect(imageResolution({ src: 'a.jpg', width: 800, cols: 2 }, PRESETS.broadsheet)).toMatchObject({ severity: 'warning', ppi: 236 });
    expect(imageResolution({ src: 'a.jpg', width: 1600, cols: 3 }, PRESETS.broadsheet)).toBeUndefined();
  });

  it('names the missing alt text, caption and credit', () => {
    expect(missingFigureFields({ alt: '', caption: '图说', credit: ' ' })).toEqual(['figure-alt', 'figure-credit']);
  });

  it('finds characters no declared face of the stack has, per kind of text', async () => {
    const coverage = await loadCoverage();
    const block = (kind: 'paragraph' | 'caption' | 'alt', text: string) => ({ id: 0, kind, place: 'body' as const, text, printedText: text, offsets: [], line: 1 });
    expect(fontFallback(block('paragraph', '长沙鸚鵡𠮷😀'), coverage).map((hit) => hit.start)).toEqual([4, 6]);
    expect(fontFallback(block('caption', '广汽埃安UT“鸚鵡龙”'), coverage)).toEqual([]);
    expect(fontFallback(block('alt', '😀'), coverage)).toEqual([]);
  });
});

describe('copyfit rule', () => {
  const page = (used: number, textLines = used) => ({ capacity: 800, used, textLines });
  const pageMap = [{ page: 1, offset: 0, text: '标题' }, { page: 2, line: 30, offset: 12, text: '第二版从这里开始' }];

  it('gives one amount, in lines and in characters: every line used past the target as overset, empty lines up to it as underset', () => {
    expect(copyfit({ pages: [page(800), page(40, 30)], charactersPerLine: 13, pageMap }, 1)).toMatchObject({ severity: 'error', lines: 40, characters: 520, at: pageMap[1] });
    expect(copyfit({ pages: [page(800), page(40, 30)], charactersPerLine: 13, pageMap }, 1)?.message).toMatch(/^超版 40 行（约 520 字）/);
    expect(copyfit({ pages: [page(800), page(300)], charactersPerLine: 13, pageMap }, 2)).toMatchObject({ severity: 'warning', lines: -500, characters: 6500 });
    expect(copyfit({ pages: [page(700)], charactersPerLine: 13, pageMap: pageMap.slice(0, 1) }, 2)).toMatchObject({ severity: 'warning', lines: -900 });
    expect(copyfit({ pages: [page(800), page(800)], charactersPerLine: 13, pageMap }, 2)).toBeUndefined();
  });

  it('finds where a page starts in the source, Markdown marks and line breaks in the text aside', () => {
    const source = '---\ntitle: 标\n---\n\n第一段。第二**版从**这里 开始\n';
    expect(pageStartPosition(source, { page: 2, line: 5, offset: 4, text: '第二版从这里开始' })).toEqual({ line: 5, column: 5 });
    expect(pageStartPosition(source, { page: 2, line: 5, offset: 4, text: '不在原稿里的字' })).toEqual({ line: 5, column: 1 });
    expect(pageStartPosition(source, { page: 1, offset: 0, text: '标' })).toBeUndefined();
  });
});

describe('applySafeFixes', () => {
  const finding = (line: number, column: number, endColumn: number, text: string, safe: boolean): Finding => ({
    file: 'a.md', line, column, rule: 'r', severity: 'error', message: '',
    fix: { line, column, endLine: line, endColumn, text, safe },
  });

  it('applies only safe fixes and keeps every other byte', () => {
    const source = 'a\n长沙,制造， ，好...\r\n尾';
    const { text, applied } = applySafeFixes(source, [finding(2, 3, 4, '，', true), finding(2, 7, 8, '', false), finding(2, 10, 13, '……', true)]);
    expect(text).toBe('a\n长沙，制造， ，好……\r\n尾');
    expect(applied).toBe(2);
  });
});

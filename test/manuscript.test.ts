// The default manuscript against its source: nothing lost, reading order restored, five complete figures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadArticle } from '../build/model/load.ts';
import { renderDocument } from '../build/document/html.ts';
import { DEFAULT_ARTICLE, htmlText, missingSentences, normalise, sourceSentences } from './helpers/text.ts';

const article = await loadArticle(DEFAULT_ARTICLE);
const html = renderDocument(article, { target: 'epub', stylesheets: [], imageUrl: (figure) => figure.src });

describe('default manuscript', () => {
  it('keeps every sentence of the source text in the HTML', () => {
    const sentences = sourceSentences();
    expect(sentences.length).toBeGreaterThan(85);
    expect(missingSentences(htmlText(html), sentences)).toEqual([]);
  });

  it('keeps the source text beside the article for provenance', () => {
    expect(readFileSync(`${DEFAULT_ARTICLE}/source.txt`, 'utf8')).toContain('长沙晚报全媒体记者 朱泽寰');
  });

  it('has five figures, each with alt text, caption and credit as separate elements', () => {
    const figures = [...html.matchAll(/<figure[^>]*>([\s\S]*?)<\/figure>/g)].map((match) => match[1]);
    expect(figures).toHaveLength(5);
    for (const figure of figures) {
      expect(figure).toMatch(/<img src="images\/[^"]+\.jpg" alt="[^"]+"\/>/);
      expect(figure).toMatch(/<span class="caption">[^<]+<\/span>/);
      expect(figure).toMatch(/<span class="credit">[^<]*(摄|供图)<\/span>/);
    }
    expect(article.figures.map((figure) => figure.credit)).toContain('长沙晚报通讯员 陈思甜供图');
  });

  it('restores the headline block and the reading order', () => {
    const { title, kicker, subtitle, byline, date, page } = article.frontMatter;
    expect({ title, kicker, subtitle, byline }).toEqual({
      title: '长沙制造攀「高」逐「新」',
      kicker: '打造新高地 链群攀高峰',
      subtitle: '工业经济挑大梁，制造赋能向未来',
      byline: '长沙晚报全媒体记者 朱泽寰',
    });
    // Facts the source does not give are not invented.
    expect(date).toBeUndefined();
    expect(page).toBeUndefined();
    expect(article.sections.map((section) => section.title)).toEqual([
      '梯度培育 激活企业成长新动能',
      '平台搭桥 深化五链融合促协同',
      '集群跃升 筑牢产业发展硬根基',
      '生态赋能 涵养智造创新源动力',
    ]);
    const text = htmlText(html);
    expect(text.indexOf('中联智慧产业城里')).toBeLessThan(text.indexOf('企业是制造业的核心载体'));
  });

  it('joins the split paragraph and keeps the cut-off one as it is, marked for the editor', () => {
    const paragraphs = article.text.filter((block) => block.kind === 'paragraph').map((block) => normalise(block.printedText));
    expect(paragraphs.some((p) => p.includes(normalise('省级专精特新中小企业数量同步大幅增长')))).toBe(true);
    expect(paragraphs.some((p) => p.endsWith('三大项目正'))).toBe(true);
    const source = readFileSync(`${DEFAULT_ARTICLE}/article.md`, 'utf8').split('\n');
    const cut = source.findIndex((line) => line.endsWith('三大项目正'));
    expect(source[cut - 1]).toMatch(/^<!-- banmian-disable-next-line truncated-paragraph.*编辑注/);
  });

  it('sets full-width punctuation in Han context', () => {
    const body = readFileSync(`${DEFAULT_ARTICLE}/article.md`, 'utf8').split('\n---\n')[1];
    expect(body).not.toMatch(/[\p{Script=Han}][,:;()]|[,:;()][\p{Script=Han}]/u);
  });

  it('derives a description from the lead and a stable identifier from the folder', () => {
    expect(article.description).toMatch(/^中联智慧产业城里/);
    expect(article.identifier).toBe('urn:banmian:changsha-manufacturing-2025');
  });
});

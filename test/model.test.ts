// The document model without a browser: one parse of the Markdown gives figures, sections, text blocks with
// exact file offsets and every diagnostic at once; the document stage renders print and EPUB from it.
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { renderBody } from '../build/document/body.ts';
import { readArticle, findArticles, type Article } from '../build/model/load.ts';
import { OPAQUE } from '../build/model/text.ts';
import { writeMarkdown } from './helpers/article.ts';

const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#808080' } }).jpeg().toBuffer();

async function read(markdown: string, files: Record<string, string | Buffer> = {}, name = 'article.md') {
  const file = writeMarkdown(name, markdown, files);
  const [source] = await findArticles([file]);
  return readArticle(source);
}
const print = (article: Article) => renderBody(article, { target: 'print', imageUrl: (figure) => figure.src, placeColumns: (cols) => cols });
const epub = (article: Article) => renderBody(article, { target: 'epub', imageUrl: (figure) => figure.src });
const codes = (diagnostics: { code: string; line?: number }[]) => diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.line]);

describe('parsing', () => {
  it('turns an image paragraph into a figure with alt, caption and credit kept apart', async () => {
    const { article, diagnostics } = await read('---\ntitle: 标题\n---\n\n![厂区](images/a.jpg){cols=4}\n图片说明。\n记者 某某 摄\n', { 'images/a.jpg': photo });
    expect(diagnostics).toEqual([]);
    expect(article.figures).toMatchObject([{ src: 'images/a.jpg', alt: '厂区', caption: '图片说明。', credit: '记者 某某 摄', cols: 4, line: 5, id: 'fig-1', width: 1200, height: 800 }]);
    expect(print(article)).toBe(
      '<div class="figure-band">\n<figure class="figure" id="fig-1" data-cols="4" data-source-line="5"><img src="images/a.jpg" alt="厂区"/>' +
        '<figcaption><span class="caption" data-text="2">图片说明。</span><span class="credit" data-text="3">记者 某某 摄</span></figcaption></figure>\n</div>\n',
    );
  });

  it('reads consecutive photo lines, with or without captions, as photos of one band', async () => {
    const { article } = await read('# 标题\n\n![甲](a.jpg)\n![乙](b.jpg)\n乙的说明\n', { 'a.jpg': photo, 'b.jpg': photo });
    expect(article.figures.map((figure) => [figure.alt, figure.caption, figure.line])).toEqual([['甲', '', 3], ['乙', '乙的说明', 4]]);
    expect(print(article).match(/figure-band/g)).toHaveLength(1);
  });

  it('reports every problem of the file at once, each at its line', async () => {
    const { diagnostics } = await read([
      '---', 'title: 标题', '---', '',
      '<script>alert(1)</script>', '',
      '正文<img src=x onerror="alert(1)">', '',
      '![照片](images/a.jpg){span=4}', '',
      '![远程](https://example.com/a.jpg)', '',
      '![远程二](https://example.com/b.jpg)', '',
      '![不存在](images/missing.jpg)', '',
      '文字中间的图片 ![图](images/a.jpg) 不能排。', '',
      '![带空格](images/01 photo.jpg)', '',
    ].join('\n'), { 'images/a.jpg': photo });
    expect(codes(diagnostics)).toEqual([
      ['raw-html', 5], ['raw-html', 7], ['figure-syntax', 9], ['image-remote', 11], ['image-remote', 13], ['image-missing', 15], ['image-placement', 17], ['image-unreadable', 19],
    ]);
    expect(diagnostics.find((diagnostic) => diagnostic.code === 'image-unreadable')!.hint).toContain('<images/01 photo.jpg>');
  });

  it('loads photo paths as CommonMark writes them: Chinese names, %20 and <…> with a space', async () => {
    const { article, diagnostics } = await read(
      '# 标题\n\n![一](images/中联重科挖掘机.jpg)\n\n![二](images/01%20zoomlion.jpg)\n\n![三](<images/01 zoomlion.jpg>)\n',
      { 'images/中联重科挖掘机.jpg': photo, 'images/01 zoomlion.jpg': photo },
    );
    expect(diagnostics).toEqual([]);
    expect(article.figures.map((figure) => [path.basename(figure.path), figure.width])).toEqual([['中联重科挖掘机.jpg', 1200], ['01 zoomlion.jpg', 1200], ['01 zoomlion.jpg', 1200]]);
  });

  it('takes the first # heading of a plain file as its title and does not print it again', async () => {
    const { article, diagnostics } = await read('# 周报标题\n\n导语。\n\n## 第一节\n\n正文。\n', {}, 'weekly.md');
    expect(diagnostics).toEqual([]);
    expect(article.slug).toBe('weekly');
    expect(article.frontMatter.title).toBe('周报标题');
    expect(print(article)).not.toContain('周报标题');
    expect(article.sections).toEqual([{ id: 'sec-1', title: '第一节', line: 5 }]);
  });

  it('drops a # heading that repeats the front matter title, and keeps one that does not', async () => {
    expect(print((await read('---\ntitle: 标题\n---\n# 标题\n\n正文。\n')).article)).not.toContain('标题');
    const other = (await read('---\ntitle: 标题\n---\n# 另一个\n\n正文。\n')).article;
    expect(other.sections.map((section) => section.title)).toEqual(['另一个']);
  });

  it('maps every character of every text block back to its offset in the file', async () => {
    const source = [
      '---', 'title: 标题,一', 'keywords: [长沙, 制造]', '---', '<!-- 注释, 不查 -->', '',
      '正文,第一行 **粗体** `code` 和 [链接](https://a.cn) 与 https://b.cn/x 以及 \\* 转义', '第二行 <!-- 行内注释 -->', '',
      '- 条目一', '- [ ] 任务', '  > 引文,嵌套', '',
      '| 表头 | 二 |', '| -- | -- |', '| 单元,格 | 值 |', '',
      '![图,说](images/a.jpg){cols=3}', '图说,文字', '记者 某某 摄', '', '## 小标题 空格', '', '注[^1]。', '', '[^1]: 注释,内容。', '',
    ].join('\n');
    const { article } = await read(source, { 'images/a.jpg': photo });
    const file = article.source;
    expect(article.text.map((block) => [block.kind, block.text])).toEqual([
      ['heading', '标题,一'],
      ['paragraph', `正文,第一行 粗体 ${OPAQUE} 和 链接 与 ${OPAQUE} 以及 * 转义\n第二行 `],
      ['item', '条目一'],
      ['item', '任务'],
      ['quote', '引文,嵌套'],
      ['cell', '表头'],
      ['cell', '二'],
      ['cell', '单元,格'],
      ['cell', '值'],
      ['alt', '图,说'],
      ['caption', '图说,文字'],
      ['credit', '记者 某某 摄'],
      ['heading', '小标题 空格'],
      ['paragraph', '注。'],
      ['note', '注释,内容。'],
    ]);
    for (const block of article.text) {
      block.offsets.forEach((offset, index) => {
        const char = block.text[index];
        if (char !== OPAQUE && char !== '*' && char !== '\n') expect([block.line, file[offset]]).toEqual([block.line, char]);
      });
    }
  });
});

describe('rendering', () => {
  it('prints notes at the end: footnotes and link addresses, numbered in reading order', async () => {
    const { article, diagnostics } = await read('# 标题\n\n见[官网](https://www.changsha.gov.cn/)与脚注[^a]，网址 https://b.cn/ 照印。\n\n[^a]: 脚注正文。\n[^z]: 没人引用的脚注。\n');
    expect(codes(diagnostics)).toEqual([['footnote-unreferenced', 6]]);
    const html = print(article);
    expect(html).toContain('官网</a><sup class="note-ref" data-no-text>①</sup>');
    expect(html).toContain('脚注<sup class="note-ref" data-no-text>②</sup>');
    expect(html).toMatch(/<li id="note-1" value="1"><p class="note-url"><a href="https:\/\/www.changsha.gov.cn\/">https:\/\/www.changsha.gov.cn\/<\/a><\/p><\/li>/);
    expect(html).toMatch(/<li id="note-2" value="2"><p[^>]*>脚注正文。<\/p>/);
    expect(html).toMatch(/<li id="note-3" value="3"><p[^>]*>没人引用的脚注。<\/p>/);
    expect(html.match(/note-ref/g)).toHaveLength(2);
  });

  it('in the EPUB: endnotes with back-links from the text, and a link to a file outside the book as plain text', async () => {
    const { article } = await read('# 标题\n\n见[另一篇](other.md)和[官网](https://a.cn/)，脚注[^1]。\n\n[^1]: 注。\n');
    const html = epub(article);
    expect(html).toContain('<span class="link">另一篇</span>');
    expect(html).toContain('<a href="https://a.cn/">官网</a>');
    expect(html).toContain('epub:type="noteref"');
    expect(html).toContain('<li id="note-1" epub:type="endnote" role="doc-endnote">');
  });

  it('prints the section heads as h2 and the heads below them a level down each; a head in a quote alone as if # were a section head', async () => {
    const { article } = await read('---\ntitle: 标题\n---\n\n# 一节\n\n正文。\n\n## 小节\n\n> #### 引文里的标题\n\n# 二节\n\n正文。\n');
    expect(print(article).match(/<\/?h\d/g)).toEqual(['<h2', '</h2', '<h3', '</h3', '<h5', '</h5', '<h2', '</h2']);
    const quoted = await read('---\ntitle: 标题\n---\n\n正文。\n\n> ## 引文里的标题\n');
    expect(print(quoted.article).match(/<\/?h[^ >]*/g)).toEqual(['<h3', '</h3']);
  });

  it('keeps code line breaks without printing the language, and tables cell by cell', async () => {
    const { article } = await read('# 标题\n\n```js\nconst a = 1;\nconsole.log(a);\n```\n\n| 甲 | 乙 |\n| :- | -: |\n| 1 | 2 |\n');
    const html = print(article);
    expect(html).toContain('<code>const a = 1;\nconsole.log(a);</code>');
    expect(html).not.toContain('js');
    expect(html).toMatch(/<div class="table-wrap[^"]*">\n<table[^>]*>/);
    expect(html).toMatch(/<td style="text-align:right"[^>]*>2<\/td>/);
  });

  it('marks task items and glues ——, ……, · and ～ to the character before them', async () => {
    const { article } = await read('# 标题\n\n- [ ] 待办\n- [x] 已办\n\n领先……这是约1～2天——如此。\n');
    const html = epub(article);
    expect(html).toContain('<li class="task">待办</li>');
    expect(html).toContain('<li class="task task--done">已办</li>');
    expect(html).toContain('领<span class="glue">先……</span>这是约<span class="glue">1～</span>2<span class="glue">天——</span>如此。');
  });

  it('closes CJK emphasis next to full-width punctuation, and drops HTML comments', async () => {
    const html = epub((await read('# 标题\n\n<!-- 编辑注 -->\n这是**“重点”**内容。\n')).article);
    expect(html).toContain('<strong>“重点”</strong>内容');
    expect(html).not.toContain('编辑注');
  });
});

// The Markdown → HTML rules, without a browser: figures, sections, source lines, raw HTML, emphasis.
import { describe, expect, it } from 'vitest';
import { createMarkdownRenderer } from '../build/markdown/render.ts';
import { UserError } from '../build/errors.ts';

const render = createMarkdownRenderer();
const where = { file: 'manuscript/x/article.md', lineOffset: 5 };

describe('markdown stage', () => {
  it('turns an image paragraph into a figure with alt, caption and credit kept apart', () => {
    const { html, figures } = render('![厂区](images/a.jpg){cols=4}\n图片说明。\n记者 某某 摄\n', where);
    expect(figures).toEqual([{ src: 'images/a.jpg', alt: '厂区', caption: '图片说明。', credit: '记者 某某 摄', cols: 4, line: 6, id: 'fig-1' }]);
    expect(html).toBe(
      '<figure class="figure" id="fig-1" data-cols="4" data-source-line="6"><img src="images/a.jpg" alt="厂区">' +
        '<figcaption><span class="caption">图片说明。</span><span class="credit">记者 某某 摄</span></figcaption></figure>\n',
    );
  });

  it('refuses a photo paragraph with a malformed placement', () => {
    expect(() => render('![厂区](images/a.jpg){span=4}\n说明\n摄\n', where)).toThrow(/image line, a caption line and a credit line/);
  });

  it('wraps sections in <section> with ids from their heads, and stamps source lines', () => {
    const { html, sections } = render('导语。\n\n## 梯度培育 激活企业成长新动能\n\n正文。\n', where);
    expect(sections).toEqual([{ id: 'sec-梯度培育-激活企业成长新动能', title: '梯度培育 激活企业成长新动能', line: 8 }]);
    expect(html).toContain('<p data-source-line="6">导语。</p>');
    expect(html).toContain('<section id="sec-梯度培育-激活企业成长新动能" class="section">\n<h2 data-source-line="8">');
    expect(html).toContain('<p data-source-line="10">正文。</p>\n</section>');
  });

  it.each([
    ['a script block', '<script>alert(1)</script>\n', 6],
    ['an event handler', '正文<img src=x onerror="alert(1)">\n', 6],
    ['plain markup', '段落\n\n<div class="x">块</div>\n', 8],
  ])('refuses raw HTML: %s', (_, body, line) => {
    try {
      render(body, where);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).format()).toMatch(new RegExp(`^manuscript/x/article\\.md:${line}: raw HTML is not allowed`));
    }
  });

  it('drops HTML comments: editor notes never print', () => {
    expect(render('<!-- 编辑注 -->\n正文。\n', where).html).toBe('<p data-source-line="7">正文。</p>\n');
  });

  it('glues ——, ……, · and ～ to the character before them', () => {
    expect(render('领先……这是“世界级—国家级”，约1～2天——如此。\n', where).html).toBe(
      '<p data-source-line="6">领<span class="glue">先……</span>这是“世界级—国家级”，约<span class="glue">1～</span>2<span class="glue">天——</span>如此。</p>\n',
    );
  });

  it('closes CJK emphasis next to full-width punctuation', () => {
    expect(render('这是**“重点”**内容。\n', where).html).toContain('<strong>“重点”</strong>内容');
  });
});

// A corpus of varied articles for the layout test, cut from the default article's own paragraphs, heads and
// photos: no photos, one photo, a photo per section, many uncaptioned photos, very short, very long, lists
// and quotes, a table. Each comes with the sentences that must all reach the page.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { writeLongArticle } from '../../scripts/bench-inputs.ts';
import { writeArticle } from './article.ts';
import { DEFAULT_ARTICLE } from './text.ts';

export interface CorpusArticle {
  name: string;
  dir: string;
  /** Photos the article places. */
  figures: number;
  /** Plain text of every paragraph, list item, quote and table cell, to find on the page. */
  texts: string[];
}

const source = readFileSync(path.join(DEFAULT_ARTICLE, 'article.md'), 'utf8');
const frontMatter = /^---\n([\s\S]*?)\n---/.exec(source)![1];
const blocks = source.slice(source.indexOf('\n---', 4) + 4).split(/\n{2,}/).map((block) => block.trim()).filter(Boolean);
const paragraphs = blocks.filter((block) => !/^(?:#|!|<!--)/.test(block));
const heads = blocks.filter((block) => block.startsWith('## ')).map((block) => block.slice(3));
const imageDir = path.join(DEFAULT_ARTICLE, 'images');
const images = readdirSync(imageDir).sort();
const imageFiles = Object.fromEntries(images.map((name) => [`images/${name}`, readFileSync(path.join(imageDir, name))]));

const photo = (index: number, cols: number, caption = true) =>
  `![照片 ${index + 1}](images/${images[index % images.length]}){cols=${cols}}` +
  (caption ? `\n第${index + 1}张照片的图片说明，说明照片上的场景与人物。\n长沙晚报全媒体记者 某某 摄` : '');

/** Sections of `perSection` paragraphs under the default article's heads, `extra(section)` after each head. */
function sections(count: number, perSection: number, extra: (section: number) => string[] = () => []): string[] {
  return Array.from({ length: count }, (_, section) => [
    `## ${heads[section % heads.length]}`,
    ...extra(section),
    ...Array.from({ length: perSection }, (_, n) => paragraphs[(section * perSection + n) % paragraphs.length]),
  ]).flat();
}

function article(name: string, parts: string[], figures: number, texts = parts.filter((part) => !/^(?:#|!|-|>|\|)/.test(part))): CorpusArticle {
  return { name, dir: writeArticle(frontMatter, `${parts.join('\n\n')}\n`, imageFiles), figures, texts };
}

export async function writeCorpus(): Promise<CorpusArticle[]> {
  const long = path.join(path.dirname(writeArticle(frontMatter, '正文。\n')), 'long');
  await writeLongArticle({ from: DEFAULT_ARTICLE, to: long, copies: 3 });
  const list = ['- 梯度培育：龙头企业领航，专精特新“小巨人”企业以“专”立企', '- 平台搭桥：“五长联动”促进五链融合', '- 集群跃升：17条产业链、21个产业集群梯次跃升'];
  const quote = '> 企业是制造业的核心载体，更是高质量发展的活力源泉。';
  const table = ['| 指标 | 数量 |', '| --- | --- |', '| 国家级“小巨人”企业 | 243家 |', '| 单项冠军企业 | 42个 |', '| 产业集群 | 21个 |'];
  return [
    article('no photos', [...paragraphs.slice(0, 4), ...sections(3, 5)], 0),
    article('one photo', [paragraphs[0], photo(0, 5), ...paragraphs.slice(1, 5), ...sections(3, 4)], 1),
    article('a photo per section', [...paragraphs.slice(0, 2), ...sections(4, 4, (n) => [photo(n, [6, 3, 4, 5][n])])], 4),
    article('many uncaptioned photos', [
      ...paragraphs.slice(0, 3),
      ...sections(4, 3, (n) => [Array.from({ length: 5 }, (_, k) => photo(n * 5 + k, 2, false)).join('\n\n')]),
    ], 20),
    article('very short', paragraphs.slice(0, 2), 0),
    { name: 'very long', dir: long, figures: 15, texts: paragraphs },
    article('lists and quotes', [...paragraphs.slice(0, 3), list.join('\n'), ...sections(2, 3, () => [quote])], 0,
      [...paragraphs.slice(0, 3), ...sections(2, 3).filter((part) => !part.startsWith('#'))]),
    article('a table', [...paragraphs.slice(0, 3), table.join('\n'), ...sections(2, 4)], 0,
      [...paragraphs.slice(0, 3), ...sections(2, 4).filter((part) => !part.startsWith('#'))]),
  ];
}

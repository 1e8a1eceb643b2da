// The front matter schema: the one description of an article's metadata, from which its types derive.
import { z } from 'zod';

const isoDate = z
  .union([z.string(), z.date()])
  .transform((value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value))
  .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '应为 ISO 日期，如 2025-12-31'));

export const frontMatterSchema = z
  .object({
    /** 主题: the headline. */
    title: z.string().trim().min(1, '不能为空'),
    /** 引题: the line above the headline. */
    kicker: z.string().trim().min(1).optional(),
    /** 副题: the line below the headline. */
    subtitle: z.string().trim().min(1).optional(),
    byline: z.string().trim().min(1).optional(),
    /** 报名: the paper's name, printed in the header rule. */
    publication: z.string().trim().min(1).optional(),
    /** 版面 / 栏目名. */
    section: z.string().trim().min(1).optional(),
    /** 版次, e.g. A04. */
    page: z.string().trim().regex(/^[A-Z]?\d{1,3}$/, '应为版次，如 A04').optional(),
    date: isoDate.optional(),
    lang: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, '应为 BCP 47 语言标记，如 zh-CN').default('zh-CN'),
    /** Derived from the lead paragraph when absent. */
    description: z.string().trim().min(1).optional(),
    /** Derived from the article's folder name when absent. */
    identifier: z.string().trim().min(1).optional(),
    keywords: z.array(z.string().trim().min(1)).optional(),
    /** Copyfit target: the number of pages the article must fill. */
    pages: z.number().int().positive().optional(),
    /** Check rules switched off for this article, by rule id. */
    disable: z.array(z.string()).optional(),
  })
  .strict();

/** Front matter as written by the editor, after validation and defaults. */
export type FrontMatter = z.infer<typeof frontMatterSchema>;

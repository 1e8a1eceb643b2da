// Splits an article into optional YAML front matter and Markdown body, and validates the front matter.
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { frontMatterSchema, type FrontMatter } from './schema.ts';
import type { Diagnostic } from './diagnostics.ts';

export interface SplitArticle {
  /** The YAML between the `---` fences, or undefined when the file has none. */
  yaml?: string;
  body: string;
  /** Number of lines before the body starts, so body line N is file line N + bodyOffset. */
  bodyOffset: number;
  /** Number of characters before the body starts. */
  bodyStart: number;
}

const FENCE = /^---[ \t]*\r?$/;

/**
 * Cuts `---`-fenced YAML front matter off the top of the file; a file without it is all body.
 *
 * @example
 * splitArticle('---\ntitle: 标题\n---\n正文', 'a.md', []).bodyOffset; // 3
 */
export function splitArticle(source: string, file: string, diagnostics: Diagnostic[]): SplitArticle {
  const bom = source.startsWith('\uFEFF') ? 1 : 0;
  const lines = source.slice(bom).split('\n');
  if (!FENCE.test(lines[0] ?? '')) return { body: source.slice(bom), bodyOffset: 0, bodyStart: bom };
  const end = lines.findIndex((line, index) => index > 0 && FENCE.test(line));
  if (end < 0) {
    diagnostics.push({
      file, line: 1, code: 'front-matter', severity: 'error',
      message: '前置信息（front matter）没有结束',
      hint: '在前置信息末尾加一行，只写 `---`。',
    });
    return { body: '', bodyOffset: lines.length, bodyStart: source.length };
  }
  const bodyStart = bom + lines.slice(0, end + 1).reduce((sum, line) => sum + line.length + 1, 0);
  return { yaml: lines.slice(1, end).join('\n'), body: source.slice(bodyStart), bodyOffset: end + 1, bodyStart };
}

/**
 * Validates the front matter against the schema, reporting every problem with its file line and field.
 * `headingTitle` (the body's first `# ` heading) is the title when the front matter gives none.
 * Always returns usable front matter, so that the rest of the article can still be checked.
 */
export function validateFrontMatter(yaml: string | undefined, headingTitle: string | undefined, file: string, diagnostics: Diagnostic[]): FrontMatter {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yaml ?? '', { lineCounter, prettyErrors: false });
  // File line = YAML line + 1, for the opening fence.
  const fileLine = (offset: number) => lineCounter.linePos(offset).line + 1;
  const fail = (line: number, message: string, hint?: string) => diagnostics.push({ file, line, code: 'front-matter', severity: 'error', message, hint });
  const fallback = { title: headingTitle ?? '', lang: 'zh-CN' };
  const [syntaxError] = doc.errors;
  if (syntaxError) {
    fail(fileLine(syntaxError.pos[0]), `前置信息不是有效的 YAML：${syntaxError.message.split('\n')[0]}`, '每个字段写成 `字段: 值`；值里有冒号时加引号。');
    return fallback;
  }
  const data: unknown = doc.toJS() ?? {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    fail(2, '前置信息应是一组 `字段: 值`');
    return fallback;
  }
  const fields = data as Record<string, unknown>;
  if (fields.title === undefined && headingTitle) fields.title = headingTitle;
  if (fields.title === undefined && yaml === undefined) {
    fail(1, '稿件没有标题：既没有前置信息，也没有 `# ` 标题行', '在文件开头写一行 `# 标题`，或加上含 `title: …` 的前置信息。');
    return fallback;
  }
  const result = frontMatterSchema.safeParse(fields);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const field = issue.path.join('.') || ('keys' in issue ? issue.keys.join(', ') : '');
    const line = placeOf(doc, issue.path, issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined, fileLine);
    const what = issue.code === 'unrecognized_keys'
      ? `未知字段 "${field}"`
      : issue.path.length === 1 && !Object.hasOwn(fields, issue.path[0] as string)
        ? `缺少字段 "${field}"`
        : `字段 "${field}" ${describe(issue)}`;
    fail(line, what, hintFor(String(issue.path[0] ?? '')));
  }
  const valid = frontMatterSchema.partial().safeParse(
    Object.fromEntries(Object.entries(fields).filter(([key]) => !result.error.issues.some((issue) => issue.path[0] === key || ('keys' in issue && issue.keys.includes(key))))),
  );
  return { ...fallback, ...(valid.success ? valid.data : {}) };
}

/** The file line of a field; a missing field has no place of its own, so the front matter's first line. */
function placeOf(doc: Document, fieldPath: PropertyKey[], unknownKey: string | undefined, fileLine: (offset: number) => number): number {
  const node = fieldPath.length ? doc.getIn(fieldPath as (string | number)[], true) : undefined;
  const range = (isNode(node) && node.range) || (unknownKey !== undefined ? findKey(doc.contents, unknownKey) : undefined);
  return range ? fileLine(range[0]) : 2;
}

const TYPE_NAMES: Record<string, string> = { number: '数字', string: '文字', array: '列表', boolean: '是或否', object: '一组字段' };

/** Zod's own messages are English; the schema's are Chinese already. */
function describe(issue: { code: string; message: string; expected?: unknown }): string {
  if (issue.code === 'invalid_type') return `应为${TYPE_NAMES[String(issue.expected)] ?? String(issue.expected)}`;
  if (issue.code === 'too_small') return '不能为空';
  return issue.message;
}

function findKey(contents: unknown, key: string): [number, number, number] | undefined {
  if (!contents || typeof contents !== 'object' || !('items' in contents) || !Array.isArray(contents.items)) return undefined;
  for (const pair of contents.items) {
    if (isNode(pair.key) && String(pair.key.toJSON()) === key) return pair.key.range ?? undefined;
  }
  return undefined;
}

function hintFor(field: string): string {
  const known = Object.keys(frontMatterSchema.shape).join(', ');
  switch (field) {
    case 'title': return '写上主题，如 `title: 长沙制造攀「高」逐「新」`，或让正文以 `# ` 标题行开头。';
    case 'date': return '日期写成 YYYY-MM-DD，如 `date: 2025-12-31`。';
    case 'page': return '版次写成如 `page: A04`。';
    case 'pages': return '版数目标写成整数，如 `pages: 1`。';
    case '': return `可用字段：${known}。`;
    default: return Object.hasOwn(frontMatterSchema.shape, field) ? '改正这个值，或删去这个字段。' : `可用字段：${known}。`;
  }
}

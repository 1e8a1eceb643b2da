// Splits an article into YAML front matter and Markdown body, and validates the front matter.
import { LineCounter, parseDocument, isNode } from 'yaml';
import { frontMatterSchema, type FrontMatter } from './schema.ts';
import { UserError } from '../errors.ts';

export interface SplitArticle {
  frontMatter: FrontMatter;
  body: string;
  /** Number of lines before the body starts, so body line N is file line N + bodyOffset. */
  bodyOffset: number;
}

const FENCE = /^---[ \t]*$/;

/**
 * Parses `---`-fenced YAML front matter, then validates it against the schema.
 * Errors name the file, the line and the field.
 *
 * @example
 * parseArticle('---\ntitle: 标题\n---\n正文', 'a/article.md').frontMatter.title; // '标题'
 */
export function parseArticle(source: string, file: string): SplitArticle {
  const lines = source.replace(/^\uFEFF/, '').split('\n');
  if (!FENCE.test(lines[0] ?? '')) {
    throw new UserError('the article has no front matter', {
      file,
      line: 1,
      hint: 'Start the file with a `---` line, then `title: …`, then another `---` line.',
    });
  }
  const end = lines.findIndex((line, index) => index > 0 && FENCE.test(line));
  if (end < 0) {
    throw new UserError('the front matter is not closed', {
      file,
      line: 1,
      hint: 'End the front matter with a line holding only `---`.',
    });
  }
  const yamlText = lines.slice(1, end).join('\n');
  const frontMatter = validate(yamlText, file);
  return { frontMatter, body: lines.slice(end + 1).join('\n'), bodyOffset: end + 1 };
}

function validate(yamlText: string, file: string): FrontMatter {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false });
  // File line = YAML line + 1, for the opening fence.
  const fileLine = (offset: number) => lineCounter.linePos(offset).line + 1;
  const [syntaxError] = doc.errors;
  if (syntaxError) {
    throw new UserError(`the front matter is not valid YAML: ${syntaxError.message.split('\n')[0]}`, {
      file,
      line: fileLine(syntaxError.pos[0]),
      hint: 'Write each field as `name: value`; quote values that contain a colon.',
    });
  }
  const data = doc.toJS() ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new UserError('the front matter must be a list of `name: value` fields', { file, line: 2 });
  }
  const result = frontMatterSchema.safeParse(data);
  if (result.success) return result.data;

  const issue = result.error.issues[0];
  const field = issue.path.join('.') || ('keys' in issue ? issue.keys.join(', ') : '');
  const node = issue.path.length ? doc.getIn(issue.path, true) : undefined;
  const pair = issue.code === 'unrecognized_keys' ? findKey(doc.contents, issue.keys[0]) : undefined;
  const range = (isNode(node) && node.range) || pair;
  // A missing field has no place of its own: point at the front matter's first line.
  const line = range ? fileLine(range[0]) : 2;
  const what = issue.code === 'unrecognized_keys'
    ? `unknown field "${field}"`
    : issue.path.length === 1 && !Object.hasOwn(data, issue.path[0] as string)
      ? `field "${field}" is required`
      : `field "${field}" ${describe(issue.message)}`;
  return raise(what, file, line, hintFor(String(issue.path[0] ?? '')));
}

function describe(message: string): string {
  const lower = message.replace(/^Invalid input: /, '');
  return /^(must|expected)/.test(lower) ? lower : `is invalid: ${lower}`;
}

function findKey(contents: unknown, key: string | undefined): [number, number, number] | undefined {
  if (!contents || typeof contents !== 'object' || !('items' in contents) || !Array.isArray(contents.items)) return undefined;
  for (const pair of contents.items) {
    if (isNode(pair.key) && String(pair.key.toJSON()) === key) return pair.key.range ?? undefined;
  }
  return undefined;
}

function hintFor(field: string): string {
  const known = Object.keys(frontMatterSchema.shape).join(', ');
  switch (field) {
    case 'title': return 'Add the headline as `title: 长沙制造攀「高」逐「新」`.';
    case 'date': return 'Write the date as YYYY-MM-DD, e.g. `date: 2025-12-31`.';
    case 'page': return 'Write the page number as e.g. `page: A04`.';
    case 'pages': return 'Give the copyfit target as a whole number of pages, e.g. `pages: 1`.';
    case '': return `Known fields: ${known}.`;
    default: return Object.hasOwn(frontMatterSchema.shape, field) ? 'Correct the value or remove the field.' : `Known fields: ${known}.`;
  }
}

function raise(message: string, file: string, line: number, hint: string): never {
  throw new UserError(message, { file, line, hint });
}

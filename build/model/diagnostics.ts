// Problems found in a manuscript, all of them: the loader collects them, `check` lists them, `build` refuses on errors.
import { UserError } from '../errors.ts';

export interface Diagnostic {
  /** The file, as the user would name it. */
  file: string;
  line?: number;
  column?: number;
  /** A permanent id, shared with `check`'s rule ids where one applies (e.g. `image-missing`). */
  code: string;
  severity: 'error' | 'warning';
  message: string;
  /** What to do about it. */
  hint?: string;
}

/** Every error of one run, raised as one UserError that prints them all, each with its place and hint. */
export class ManuscriptError extends UserError {
  readonly diagnostics: Diagnostic[];

  constructor(diagnostics: Diagnostic[]) {
    const [first] = diagnostics;
    super(diagnostics.length === 1 ? first.message : `稿件有 ${diagnostics.length} 处问题`, {
      file: first.file,
      line: first.line,
      hint: first.hint,
      code: first.code,
    });
    this.name = 'ManuscriptError';
    this.diagnostics = diagnostics;
  }

  override format(): string {
    if (this.diagnostics.length === 1) return super.format();
    return [`${this.message}：`, ...this.diagnostics.map(formatDiagnostic)].join('\n');
  }
}

/** `file:line: message` and the hint below it. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const where = `${diagnostic.file}${diagnostic.line ? `:${diagnostic.line}` : ''}`;
  return `${where}: ${diagnostic.message}${diagnostic.hint ? `\n  ${diagnostic.hint}` : ''}`;
}

/** Throws the errors among `diagnostics` (in file and line order), if there are any. */
export function raiseErrors(diagnostics: Diagnostic[]): void {
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (errors.length) throw new ManuscriptError(errors.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0)));
}

/** The codes the loader reports under; `check` lists them as rule ids, and directives may name them. */
export const DIAGNOSTIC_CODES = [
  'front-matter',
  'empty-article',
  'raw-html',
  'figure-syntax',
  'image-placement',
  'image-missing',
  'image-unreadable',
  'image-remote',
  'footnote-unreferenced',
] as const;

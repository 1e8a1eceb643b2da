// The one error type for the user's mistakes: where (file, line), what went wrong, and how to fix it.

export interface UserErrorOptions {
  /** The file the mistake is in, as the user would name it. */
  file?: string;
  /** 1-based line in that file, where one is known. */
  line?: number;
  /** What to do about it. */
  hint?: string;
  /** A stable name for the kind of mistake, for code that reacts to it (e.g. `image-missing`). */
  code?: string;
  cause?: unknown;
}

/**
 * A mistake in the user's input or invocation. The CLI prints it without a stack trace and
 * exits with `exitCode`; anything else that is thrown is a bug in banmian and is shown as one.
 *
 * @example
 * throw new UserError('title is required', { file: 'manuscript/a/article.md', line: 1, hint: 'Add `title: …`.' });
 */
export class UserError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly hint?: string;
  readonly code?: string;
  /** 1 for bad input or a failed build, 2 for bad usage. */
  readonly exitCode: 1 | 2;

  constructor(message: string, options: UserErrorOptions & { exitCode?: 1 | 2 } = {}) {
    super(message, { cause: options.cause });
    this.name = 'UserError';
    this.file = options.file;
    this.line = options.line;
    this.hint = options.hint;
    this.code = options.code;
    this.exitCode = options.exitCode ?? 1;
  }

  /** `file:line: message` followed by the hint, as printed to the terminal. */
  format(): string {
    const where = this.file ? `${this.file}${this.line ? `:${this.line}` : ''}: ` : '';
    return `${where}${this.message}${this.hint ? `\n  ${this.hint}` : ''}`;
  }
}

/** A mistake in how the CLI was called: exit code 2. */
export class UsageError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, { hint, exitCode: 2 });
    this.name = 'UsageError';
  }
}

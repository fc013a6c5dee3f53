import type { Span } from './span.js';

/**
 * The one kind of error the CLI turns into "could not run" (exit 2): bad usage, a file that is
 * missing or cannot be parsed where parsing is required, a network failure. The message is for
 * people; `span` adds `file:line:col` in front of it; `hint` is printed on its own line.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly options: { span?: Span | null; file?: string; hint?: string; exitCode?: number } = {},
  ) {
    super(message);
    this.name = 'UserError';
  }
  get exitCode(): number {
    return this.options.exitCode ?? 2;
  }
}

export function formatUserError(err: UserError): string {
  const { span, file, hint } = err.options;
  const where = span ? `${span.file}:${span.line}:${span.column}: ` : file ? `${file}: ` : '';
  return `${where}error: ${err.message}${hint ? `\n  hint: ${hint}` : ''}`;
}

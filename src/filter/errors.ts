/**
 * The one error type of the filter compiler: every stage (lexer, parser, code generator, name
 * resolution, optimizer) reports through it, with libpcap's wording where libpcap has one.
 */

/**
 * A filter expression that cannot be compiled. `position` is the 0-based character offset of the
 * offending token or primitive in the expression, when known.
 * @example
 * try { compileFilter('port 70000', { linkType: 1 }); } catch (e) { if (e instanceof FilterError) console.error(e.format('port 70000')); }
 */
export class FilterError extends Error {
  override readonly name = 'FilterError';
  readonly position: number | undefined;

  constructor(message: string, position?: number) {
    super(message);
    this.position = position;
  }

  /** The message, then the expression and a caret under the error position (when one is known). */
  format(expr: string): string {
    if (this.position === undefined) return this.message;
    const flat = expr.replace(/[\r\n\t]/g, ' ');
    const pos = Math.max(0, Math.min(this.position, flat.length));
    return `${this.message}\n${flat}\n${' '.repeat(pos)}^`;
  }
}

/** Message of libpcap's parser for any grammar violation. */
export const SYNTAX_ERROR = "can't parse filter expression: syntax error";

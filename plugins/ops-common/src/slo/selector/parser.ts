/**
 * The parser of the PromQL text SLO documents contain: a bare selector, or a
 * counter query around one. What it reads is validated by
 * `checkPromSelector` before it is returned.
 */
import {
  checkPromSelector,
  PromLabelMatcher,
  PromMatchOperator,
  PromSelector,
} from './matchers';

/**
 * The result of parsing PromQL text OpsDeck accepts.
 *
 * @public
 */
export type PromParseResult<T> =
  | { ok: true; value: T }
  | { ok: false; error: string };

/**
 * The counter part of an SLO query: a selector, and the range written after
 * it if any (`[5m]`, or Sloth's `[{{.window}}]`).
 *
 * @public
 */
export interface PromCounterQuery {
  selector: PromSelector;
  /** The function the query was written with, possibly inside `sum(...)`; absent for a bare selector. */
  function?: 'rate' | 'increase';
  range?: string;
}

const ACCEPTED_FORMS =
  'expected a counter selector such as metric{label="value"}, optionally as rate(...[range]) or increase(...[range]) inside sum(...)';

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {
    if (typeof text !== 'string') {
      throw new Error('query must be a string');
    }
  }

  skipSpace() {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) {
      this.pos++;
    }
  }

  expectEnd() {
    if (this.pos < this.text.length) {
      throw new Error(
        `unexpected ${JSON.stringify(
          this.text.slice(this.pos, this.pos + 40),
        )} at character ${this.pos + 1}; ${ACCEPTED_FORMS}`,
      );
    }
  }

  private identifier(pattern: RegExp): string | undefined {
    const match = pattern.exec(this.text.slice(this.pos));
    if (!match) {
      return undefined;
    }
    this.pos += match[0].length;
    return match[0];
  }

  private peek(token: string): boolean {
    return this.text.startsWith(token, this.pos);
  }

  private expect(token: string) {
    this.skipSpace();
    if (!this.peek(token)) {
      throw new Error(
        `expected ${JSON.stringify(token)} at character ${this.pos + 1}`,
      );
    }
    this.pos += token.length;
  }

  counterQuery(): PromCounterQuery {
    const start = this.pos;
    const word = this.identifier(/^[a-zA-Z_:][a-zA-Z0-9_:]*/);
    this.skipSpace();
    if (word === 'sum' && this.peek('(')) {
      this.expect('(');
      this.skipSpace();
      const inner = this.counterQuery();
      this.expect(')');
      return inner;
    }
    if ((word === 'rate' || word === 'increase') && this.peek('(')) {
      this.expect('(');
      this.skipSpace();
      const selector = this.selector();
      this.expect('[');
      this.skipSpace();
      const range =
        this.identifier(/^\{\{\s*\.window\s*\}\}/) ??
        this.identifier(/^[0-9]+[a-z0-9]*/);
      if (!range) {
        throw new Error(
          `expected a range such as 5m or {{.window}} at character ${
            this.pos + 1
          }`,
        );
      }
      this.expect(']');
      this.expect(')');
      return {
        selector,
        function: word,
        range: range.startsWith('{{') ? '{{.window}}' : range,
      };
    }
    if (word !== undefined && this.peek('(')) {
      throw new Error(
        `function or aggregation ${word}(...) is not accepted; ${ACCEPTED_FORMS}`,
      );
    }
    this.pos = start;
    return { selector: this.selector() };
  }

  selector(): PromSelector {
    const metric = this.identifier(/^[a-zA-Z_:][a-zA-Z0-9_:]*/);
    if (!metric) {
      throw new Error(
        `expected a metric name at character ${
          this.pos + 1
        }; ${ACCEPTED_FORMS}`,
      );
    }
    this.skipSpace();
    const matchers: PromLabelMatcher[] = [];
    if (this.peek('{')) {
      this.pos++;
      this.skipSpace();
      while (!this.peek('}')) {
        matchers.push(this.matcher());
        this.skipSpace();
        if (this.peek(',')) {
          this.pos++;
          this.skipSpace();
        } else if (!this.peek('}')) {
          throw new Error(
            `expected "," or "}" at character ${
              this.pos + 1
            } in the selector of ${metric}`,
          );
        }
      }
      this.pos++;
    }
    return { metric, matchers };
  }

  private matcher(): PromLabelMatcher {
    const name = this.identifier(/^[a-zA-Z_][a-zA-Z0-9_]*/);
    if (!name) {
      throw new Error(`expected a label name at character ${this.pos + 1}`);
    }
    this.skipSpace();
    const op = this.identifier(/^(=~|!~|!=|=)/) as
      | PromMatchOperator
      | undefined;
    if (!op) {
      throw new Error(
        `expected =, !=, =~ or !~ after label ${name} at character ${
          this.pos + 1
        }`,
      );
    }
    this.skipSpace();
    return { name, op, value: this.string(name) };
  }

  // A double-quoted PromQL string. Escapes are decoded; the decoded value is
  // then checked by checkPromLabelValue, which refuses quotes of any kind.
  private string(label: string): string {
    if (!this.peek('"')) {
      throw new Error(
        `expected a double-quoted value for label ${label} at character ${
          this.pos + 1
        }`,
      );
    }
    this.pos++;
    let value = '';
    while (this.pos < this.text.length) {
      const char = this.text[this.pos++];
      if (char === '"') {
        return value;
      }
      if (char === '\\') {
        const next = this.text[this.pos++];
        if (next === undefined) {
          break;
        }
        // Only `\\` decodes to a backslash we keep; `\"` decodes to a quote,
        // which the value check then refuses.
        value += next === '\\' || next === '"' ? next : `\\${next}`;
        continue;
      }
      value += char;
    }
    throw new Error(`unterminated value of label ${label}`);
  }
}

/**
 * Parses a bare series selector, e.g. `http_requests_total{code!~"5.."}`.
 *
 * @public
 */
export function parsePromSelector(text: string): PromParseResult<PromSelector> {
  const parser = new Parser(text);
  try {
    parser.skipSpace();
    const selector = parser.selector();
    parser.skipSpace();
    parser.expectEnd();
    const problem = checkPromSelector(selector);
    return problem
      ? { ok: false, error: problem }
      : { ok: true, value: selector };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/**
 * Parses the counter queries SLO documents contain, in the forms OpsDeck can
 * re-window safely:
 *
 * - `metric{...}`
 * - `rate(metric{...}[5m])` or `increase(...)`
 * - either of those inside `sum(...)`
 *
 * The range may be a duration or Sloth's `{{.window}}` placeholder. OpsDeck
 * always evaluates `sum(increase(selector[W]))` for the window W it needs, so
 * only the selector is kept; anything else (binary operators, `by`, other
 * functions) is refused with a message saying what is accepted.
 *
 * @public
 */
export function parsePromCounterQuery(
  text: string,
): PromParseResult<PromCounterQuery> {
  const parser = new Parser(text);
  try {
    parser.skipSpace();
    const result = parser.counterQuery();
    parser.skipSpace();
    parser.expectEnd();
    const problem = checkPromSelector(result.selector);
    return problem
      ? { ok: false, error: problem }
      : { ok: true, value: result };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

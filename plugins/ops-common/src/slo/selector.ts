/**
 * Prometheus series selectors (`metric{label="value"}`): the only piece of
 * PromQL OpsDeck takes from SLO documents. A selector is parsed into names and
 * values, each validated, and printed again by {@link formatPromSelector}, so
 * nothing a document says is pasted into a query: text after the selector
 * (`"} or vector(1) #`) is an error, and a value can never close its quotes.
 */

/**
 * A label matcher operator.
 *
 * @public
 */
export type PromMatchOperator = '=' | '!=' | '=~' | '!~';

/**
 * One label matcher of a selector, value unquoted.
 *
 * @public
 */
export interface PromLabelMatcher {
  name: string;
  op: PromMatchOperator;
  value: string;
}

/**
 * A series selector: a metric name and label matchers.
 *
 * @public
 */
export interface PromSelector {
  metric: string;
  matchers: PromLabelMatcher[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// Quotes, backticks and control characters can only serve to break out of a
// quoted value; no metric needs them in a label value.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_VALUE_CHARS = /["'`\u0000-\u001f\u007f]/;

/**
 * Whether a string is a valid Prometheus metric name.
 *
 * @public
 */
export function isValidPromMetricName(name: string): boolean {
  return typeof name === 'string' && METRIC_NAME.test(name);
}

/**
 * Whether a string is a valid Prometheus label name (names starting with `__`
 * are reserved by Prometheus and refused).
 *
 * @public
 */
export function isValidPromLabelName(name: string): boolean {
  return (
    typeof name === 'string' && LABEL_NAME.test(name) && !name.startsWith('__')
  );
}

/**
 * Checks a label value that OpsDeck will put into PromQL. Returns what is
 * wrong, or `undefined` when the value is acceptable. Backslashes are allowed
 * only in regular expressions (`=~`, `!~`), where they escape characters.
 *
 * @public
 */
export function checkPromLabelValue(
  value: string,
  op: PromMatchOperator = '=',
): string | undefined {
  if (typeof value !== 'string') {
    return 'must be a string';
  }
  if (value.length > 1024) {
    return 'must be at most 1024 characters long';
  }
  if (FORBIDDEN_VALUE_CHARS.test(value)) {
    return 'must not contain quotes, backticks or control characters';
  }
  if (value.includes('\\') && (op === '=' || op === '!=')) {
    return 'must not contain backslashes';
  }
  return undefined;
}

/**
 * Checks a whole selector; returns what is wrong or `undefined`.
 *
 * @public
 */
export function checkPromSelector(selector: PromSelector): string | undefined {
  if (!isValidPromMetricName(selector.metric)) {
    return `invalid metric name ${JSON.stringify(selector.metric)}`;
  }
  for (const matcher of selector.matchers) {
    if (!isValidPromLabelName(matcher.name)) {
      return `invalid label name ${JSON.stringify(matcher.name)}`;
    }
    if (!['=', '!=', '=~', '!~'].includes(matcher.op)) {
      return `invalid operator ${JSON.stringify(matcher.op)} for label ${
        matcher.name
      }`;
    }
    const problem = checkPromLabelValue(matcher.value, matcher.op);
    if (problem) {
      return `value of label ${matcher.name} ${problem}`;
    }
  }
  return undefined;
}

/**
 * Prints a selector as PromQL. Throws on a selector that
 * {@link checkPromSelector} refuses: that is a programming error, since
 * selectors come from {@link parsePromSelector} or validated config.
 *
 * @public
 */
export function formatPromSelector(selector: PromSelector): string {
  const problem = checkPromSelector(selector);
  if (problem) {
    throw new TypeError(`Refusing to build PromQL: ${problem}`);
  }
  if (selector.matchers.length === 0) {
    return selector.metric;
  }
  return `${selector.metric}${formatPromMatchers(selector.matchers)}`;
}

/**
 * Prints label matchers as PromQL, `{name="value",...}`, after checking them
 * as {@link formatPromSelector} does.
 *
 * @public
 */
export function formatPromMatchers(matchers: PromLabelMatcher[]): string {
  const problem = checkPromSelector({ metric: 'up', matchers });
  if (problem) {
    throw new TypeError(`Refusing to build PromQL: ${problem}`);
  }
  const printed = matchers.map(
    m => `${m.name}${m.op}"${m.value.replace(/\\/g, '\\\\')}"`,
  );
  return `{${printed.join(',')}}`;
}

/**
 * A selector with more matchers, replacing matchers on the same label name.
 *
 * @public
 */
export function withPromMatchers(
  selector: PromSelector,
  matchers: PromLabelMatcher[],
): PromSelector {
  const names = new Set(matchers.map(m => m.name));
  return {
    metric: selector.metric,
    matchers: [
      ...selector.matchers.filter(m => !names.has(m.name)),
      ...matchers,
    ],
  };
}

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

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
 * `checkPromSelector` refuses: that is a programming error, since
 * selectors come from `parsePromSelector` or validated config.
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

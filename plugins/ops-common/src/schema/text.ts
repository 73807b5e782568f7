/**
 * A string with no NUL byte (U+0000). PostgreSQL cannot store one in text (it
 * fails the write with SQLSTATE 22021) and SQLite would store what no other
 * reader expects, so the document refuses it on every string.
 */
export const NO_NUL_PATTERN = '^[^\\u0000]*$';

/**
 * The document with {@link NO_NUL_PATTERN} on every string schema that does
 * not constrain its characters otherwise (an enum, a format, or a pattern of
 * its own, whose character classes exclude U+0000), so that a NUL byte in any
 * text field is a 400 naming the field, before a handler runs.
 */
export function refuseNulBytes<T>(document: T): T {
  return withPattern(document) as T;
}

function withPattern(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.map(withPattern);
  }
  if (node === null || typeof node !== 'object') {
    return node;
  }
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    copy[key] = withPattern(value);
  }
  if (
    copy.type === 'string' &&
    copy.enum === undefined &&
    copy.format === undefined &&
    copy.pattern === undefined
  ) {
    copy.pattern = NO_NUL_PATTERN;
  }
  return copy;
}

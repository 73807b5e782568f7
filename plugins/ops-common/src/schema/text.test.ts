import { opsApiSpec } from './openapi';
import { NO_NUL_PATTERN, refuseNulBytes } from './text';

type Schema = Record<string, unknown>;

function stringSchemas(node: unknown, at = '$'): Array<[string, Schema]> {
  if (Array.isArray(node)) {
    return node.flatMap((item, i) => stringSchemas(item, `${at}[${i}]`));
  }
  if (node === null || typeof node !== 'object') {
    return [];
  }
  const schema = node as Schema;
  const own: Array<[string, Schema]> =
    schema.type === 'string' ? [[at, schema]] : [];
  return [
    ...own,
    ...Object.entries(schema).flatMap(([key, value]) =>
      stringSchemas(value, `${at}.${key}`),
    ),
  ];
}

describe('refuseNulBytes', () => {
  it('leaves no string of the document that accepts a NUL byte', () => {
    const open = stringSchemas(opsApiSpec).filter(([, schema]) => {
      if (schema.enum !== undefined || schema.format !== undefined) {
        return false;
      }
      if (typeof schema.pattern !== 'string') {
        return true;
      }
      // A pattern of its own must build on character classes that exclude
      // U+0000: no `.` outside a class, and a negated class names \u0000.
      const source = schema.pattern.replace(/\\./g, '');
      const classes = source.match(/\[[^\]]*\]/g) ?? [];
      const anyCharacter = source.replace(/\[[^\]]*\]/g, '').includes('.');
      const negatedAdmittingNul =
        classes.some(c => c.startsWith('[^')) &&
        !schema.pattern.includes('\\u0000');
      return anyCharacter || negatedAdmittingNul;
    });
    expect(open.map(([at]) => at)).toEqual([]);
  });

  it('adds the pattern to a plain string and leaves the others alone', () => {
    const document = refuseNulBytes({
      plain: { type: 'string', maxLength: 3 },
      listed: { type: 'string', enum: ['a'] },
      time: { type: 'string', format: 'date-time' },
      own: { type: 'string', pattern: '^[a-z]+$' },
      nested: [{ items: { type: 'string' } }],
    });
    expect(document).toEqual({
      plain: { type: 'string', maxLength: 3, pattern: NO_NUL_PATTERN },
      listed: { type: 'string', enum: ['a'] },
      time: { type: 'string', format: 'date-time' },
      own: { type: 'string', pattern: '^[a-z]+$' },
      nested: [{ items: { type: 'string', pattern: NO_NUL_PATTERN } }],
    });
    expect(new RegExp(NO_NUL_PATTERN, 'u').test('a\u0000b')).toBe(false);
    expect(new RegExp(NO_NUL_PATTERN, 'u').test('a b\n')).toBe(true);
  });
});

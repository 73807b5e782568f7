import { InputError } from '@backstage/errors';
import { ErrorRequestHandler } from 'express';

// The validator's errors name a field by its place in the request
// (`request/body/title`, `request/query/entityRef`); a person knows it by its name.
const PLACE = /request\/(body|query|params|headers)((?:\/[^\s,]+)?)/g;
const WHOLE: Record<string, string> = {
  body: 'the body',
  query: 'the query',
  params: 'the path',
  headers: 'the headers',
};

// ajv's wording, in plain words; what is not listed stays as ajv says it.
const REWORDINGS: Array<[RegExp, string]> = [
  [
    /must NOT have more than (\d+) characters/g,
    'must be at most $1 characters',
  ],
  [
    /must NOT have fewer than (\d+) characters/g,
    'must be at least $1 characters',
  ],
  [/must NOT have more than (\d+) items/g, 'must have at most $1 items'],
  [/must NOT have fewer than (\d+) items/g, 'must have at least $1 items'],
  [/must NOT have more than (\d+) properties/g, 'must have at most $1 entries'],
  [/must be object\b/g, 'must be a JSON object'],
  [/must be <= (\S+)/g, 'must be at most $1'],
  [/must be >= (\S+)/g, 'must be at least $1'],
  [
    /must match format "date-time"/g,
    'must be a date and time with a time zone, e.g. 2026-12-02T03:00:00Z',
  ],
  [/must be equal to one of the allowed values/g, 'must be one of'],
  [
    /must NOT have additional properties/g,
    'has a field the API does not know (additional properties are not allowed)',
  ],
];

/**
 * The OpenAPI validator's message in plain words, naming each field by its
 * name: `request/body/title must NOT have more than 200 characters` becomes
 * `title must be at most 200 characters`, and
 * `request/body must have required property 'title'` becomes
 * `title is required`.
 */
export function plainValidationMessage(message: string): string {
  let plain = message
    .replace(
      /request\/(?:body|query|params|headers)(\/[^\s,]+)? must have required property '([^']+)'/g,
      (_match, path: string | undefined, property: string) =>
        `${
          path ? `${path.slice(1).replace(/\//g, '.')}.` : ''
        }${property} is required`,
    )
    .replace(PLACE, (_match, part: string, path: string) =>
      path ? path.slice(1).replace(/\//g, '.') : WHOLE[part],
    );
  for (const [pattern, words] of REWORDINGS) {
    plain = plain.replace(pattern, words);
  }
  return plain;
}

type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
};

/**
 * The fields of `value` at `path` (`/labels`, or '' for the body itself)
 * that `schema` does not declare. ajv says only that there are some; a person
 * needs their names.
 */
export function undeclaredFields(
  schema: JsonSchema | undefined,
  value: unknown,
  path: string,
): string[] {
  let [s, v] = [schema, value];
  for (const key of path.split('/').filter(Boolean)) {
    [s, v] = [s?.properties?.[key], (v as Record<string, unknown>)?.[key]];
  }
  if (!s?.properties || typeof v !== 'object' || v === null) return [];
  return Object.keys(v).filter(key => !(key in s!.properties!));
}

const ADDITIONAL =
  /request\/body((?:\/[^\s,]+)?) must NOT have additional properties/g;

/**
 * Rewords the validated router's input errors (they are the ones whose
 * message names a place in the request); any other error passes unchanged.
 * An unknown body field is named, from the operation's schema that the
 * validator left on the request (`req.openapi`).
 */
export const plainValidationErrors: ErrorRequestHandler = (
  error,
  req,
  _res,
  next,
) => {
  if (
    error instanceof Error &&
    error.name === 'InputError' &&
    /request\/(body|query|params|headers)/.test(error.message)
  ) {
    const operation = (req as { openapi?: { schema?: any } }).openapi?.schema;
    const bodySchema =
      operation?.requestBody?.content?.['application/json']?.schema;
    const message = error.message.replace(ADDITIONAL, (whole, path: string) => {
      const names = undeclaredFields(bodySchema, req.body, path);
      return names.length === 0
        ? whole
        : names
            .map(
              name =>
                `request/body${path}/${name} is not a field of this request`,
            )
            .join(', ');
    });
    next(new InputError(plainValidationMessage(message)));
    return;
  }
  next(error);
};

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

/**
 * Rewords the validated router's input errors (they are the ones whose
 * message names a place in the request); any other error passes unchanged.
 */
export const plainValidationErrors: ErrorRequestHandler = (
  error,
  _req,
  _res,
  next,
) => {
  if (
    error instanceof Error &&
    error.name === 'InputError' &&
    /request\/(body|query|params|headers)/.test(error.message)
  ) {
    next(new InputError(plainValidationMessage(error.message)));
    return;
  }
  next(error);
};

import { InputError } from '@backstage/errors';
import { Request } from 'express';

/**
 * Reading `req.query` after the OpenAPI document has validated it. The typed
 * router cannot narrow this document's query parameters (they are built by
 * helper functions), so these read each value by its runtime type instead of
 * casting: a value of another shape is treated as absent.
 */
type Query = Request['query'];

/** A single-valued parameter. */
export function queryString(query: Query, name: string): string | undefined {
  const value = query[name];
  return typeof value === 'string' ? value : undefined;
}

/** A parameter the document marks as required. */
export function requiredQueryString(query: Query, name: string): string {
  const value = queryString(query, name);
  if (value === undefined) {
    throw new InputError(`Missing query parameter ${name}`);
  }
  return value;
}

/** A parameter that may repeat (`?status=open&status=investigating`). */
export function queryList(query: Query, name: string): string[] | undefined {
  const value = query[name];
  if (value === undefined) {
    return undefined;
  }
  const values = Array.isArray(value) ? value : [value];
  return values.filter((v): v is string => typeof v === 'string');
}

/** A repeating parameter whose values are one of `allowed`. */
export function queryEnumList<T extends string>(
  query: Query,
  name: string,
  allowed: readonly T[],
): T[] | undefined {
  const values = queryList(query, name);
  return values?.flatMap(value => allowed.filter(known => known === value));
}

/** The paging and time-range parameters every list endpoint takes. */
export function pageFilter(query: Query) {
  const limit = queryString(query, 'limit');
  return {
    entityRef: queryString(query, 'entityRef'),
    from: queryString(query, 'from'),
    to: queryString(query, 'to'),
    cursor: queryString(query, 'cursor'),
    limit: limit ? Number(limit) : undefined,
  };
}

/** An optional date-time parameter (`at`), as seconds since the epoch. */
export function queryUnixSeconds(
  query: Query,
  name: string,
): number | undefined {
  const value = queryString(query, name);
  return value === undefined ? undefined : Date.parse(value) / 1000;
}

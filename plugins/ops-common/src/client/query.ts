/** A filter as the query of a request: numbers become strings. */
export type QueryOf<F> = {
  [K in keyof F]: F[K] extends number | undefined ? string | undefined : F[K];
};

/**
 * The query parameters of a request from a filter or a request object:
 * numbers (page sizes) become the strings the document declares, undefined
 * values are left out. openapi-fetch repeats the parameter for an array
 * (`status=open&status=investigating`).
 */
export function toQuery<F extends object>(filter: F): QueryOf<F> {
  const query: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(filter)) {
    if (value !== undefined) {
      query[name] = typeof value === 'number' ? String(value) : value;
    }
  }
  return query as QueryOf<F>;
}

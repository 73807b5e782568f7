import { ResponseError } from '@backstage/errors';
import type { OpsApiFetch } from './types';

/**
 * The fetch of openapi-fetch over a FetchApi. openapi-fetch hands over a
 * Request; Backstage's FetchApi middleware rebuilds the request to add
 * credentials and cannot reuse a Request whose body was read ("Cannot
 * construct a Request with a Request object that has already been used"),
 * so the FetchApi is called with a URL and an init instead. A response that
 * is not a success becomes a ResponseError with the backend's message.
 */
export function fetchByUrl(fetchApi: OpsApiFetch) {
  return async (request: Request): Promise<Response> => {
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const response = await fetchApi.fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: hasBody ? await request.text() : undefined,
      signal: request.signal,
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  };
}

/** The body of a success; fetchByUrl threw for anything else. */
export function dataOf<T>(result: { data?: T }): T {
  return result.data as T;
}

/**
 * The body of a success whose shape the OpenAPI document does not describe
 * yet (the SLO reports): typed by the ops-common model.
 */
export function modelOf<T>(result: { data?: unknown }): T {
  return result.data as T;
}

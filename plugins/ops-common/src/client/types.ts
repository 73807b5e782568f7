/**
 * What {@link OpsApiClient} needs of Backstage's DiscoveryApi (frontend) or
 * DiscoveryService (backend).
 *
 * @public
 */
export interface OpsApiDiscovery {
  getBaseUrl(pluginId: string): Promise<string>;
}

/**
 * What {@link OpsApiClient} needs of Backstage's FetchApi. It is always called
 * with a URL and a RequestInit, never with a Request, so that FetchApi
 * middleware (which rebuilds the request to add credentials) can read the body.
 *
 * @public
 */
export interface OpsApiFetch {
  fetch(input: string, init?: RequestInit): Promise<Response>;
}

/**
 * Per-call options of {@link OpsApiClient}.
 *
 * @public
 */
export interface OpsApiRequestOptions {
  /** A token for the Authorization header, when the FetchApi adds none. */
  token?: string;
}

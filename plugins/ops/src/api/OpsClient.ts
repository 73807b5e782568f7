import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { ReadinessReport } from '@opsdeck/plugin-ops-common';
import { OpsApi } from './OpsApi';

/**
 * The {@link OpsApi} over HTTP, with the signed-in user's credentials.
 *
 * @public
 */
export class OpsClient implements OpsApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async getReadiness(request: { entityRef: string }): Promise<ReadinessReport> {
    const query = new URLSearchParams({ entityRef: request.entityRef });
    return this.#get(`/readiness?${query}`);
  }

  async #get<T>(path: string): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('ops');
    const response = await this.#fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

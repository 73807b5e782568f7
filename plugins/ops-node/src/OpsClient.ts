import {
  AuthService,
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  createServiceRef,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { ReadinessReport } from '@opsdeck/plugin-ops-common';

/**
 * Reads and writes OpsDeck records through the ops backend's HTTP API.
 *
 * @remarks
 * Other backend packages (scaffolder actions, modules) use this instead of the
 * ops database: every call goes through the ops backend, so validation,
 * permissions and the audit log apply to them as to any user. Calls are made
 * on behalf of the given credentials.
 *
 * @public
 */
export interface OpsClient {
  getReadiness(
    request: { entityRef: string },
    options: { credentials: BackstageCredentials },
  ): Promise<ReadinessReport>;
}

/**
 * The {@link OpsClient} over HTTP, found with the discovery service.
 *
 * @public
 */
export class DefaultOpsClient implements OpsClient {
  readonly #discovery: DiscoveryService;
  readonly #auth: AuthService;

  static create(options: { discovery: DiscoveryService; auth: AuthService }) {
    return new DefaultOpsClient(options.discovery, options.auth);
  }

  private constructor(discovery: DiscoveryService, auth: AuthService) {
    this.#discovery = discovery;
    this.#auth = auth;
  }

  async getReadiness(
    request: { entityRef: string },
    options: { credentials: BackstageCredentials },
  ): Promise<ReadinessReport> {
    const query = new URLSearchParams({ entityRef: request.entityRef });
    return this.#fetchJson(`/readiness?${query}`, options.credentials);
  }

  async #fetchJson<T>(
    path: string,
    credentials: BackstageCredentials,
  ): Promise<T> {
    const baseUrl = await this.#discovery.getBaseUrl('ops');
    const { token } = await this.#auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'ops',
    });
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

/**
 * Service ref of the {@link OpsClient}.
 *
 * @public
 */
export const opsClientServiceRef = createServiceRef<OpsClient>({
  id: 'ops.client',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      factory: ({ discovery, auth }) =>
        DefaultOpsClient.create({ discovery, auth }),
    }),
});

import {
  AuthService,
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  createServiceRef,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AppendIncidentEventRequest,
  CreateDrillRequest,
  CreateDeploymentRequest,
  CreateIncidentRequest,
  Deployment,
  DeploymentFilter,
  DeploymentHistoryResponse,
  DoraMetrics,
  Drill,
  DrillFilter,
  Incident,
  IncidentFilter,
  RecordPage,
  IncidentEvent,
  ReadinessReport,
  SloReport,
  UpdateDrillRequest,
  UpdateIncidentRequest,
  UpsertDrillStepRequest,
} from '@opsdeck/plugin-ops-common';

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
  /**
   * The entity's SLOs evaluated on Prometheus; problems with Prometheus or
   * the documents are in the report, not a rejection.
   */
  getSlos(
    request: { entityRef: string },
    options: { credentials: BackstageCredentials },
  ): Promise<SloReport>;
  listIncidents(
    filter: IncidentFilter,
    options: { credentials: BackstageCredentials },
  ): Promise<RecordPage<Incident>>;
  createIncident(
    request: CreateIncidentRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<Incident>;
  getIncident(
    request: { id: string },
    options: { credentials: BackstageCredentials },
  ): Promise<Incident>;
  /** Fails with a ConflictError when the incident changed since `version`. */
  updateIncident(
    request: { id: string } & UpdateIncidentRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<Incident>;
  appendIncidentEvent(
    request: { incidentId: string } & AppendIncidentEventRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<IncidentEvent>;
  listDrills(
    filter: DrillFilter,
    options: { credentials: BackstageCredentials },
  ): Promise<RecordPage<Drill>>;
  createDrill(
    request: CreateDrillRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<Drill>;
  updateDrill(
    request: { id: string } & UpdateDrillRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<Drill>;
  /** Records the state of one step of a running drill, by name. */
  upsertDrillStep(
    request: { drillId: string; name: string } & UpsertDrillStepRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<Drill>;
  /** Records a deployment (a rollback records one with status `rolled-back`). */
  createDeployment(
    request: CreateDeploymentRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<Deployment>;
  listDeployments(
    filter: DeploymentFilter & { entityRef: string },
    options: { credentials: BackstageCredentials },
  ): Promise<RecordPage<Deployment>>;
  /** The entity's workloads and revisions from every history source. */
  getDeploymentHistory(
    request: { entityRef: string },
    options: { credentials: BackstageCredentials },
  ): Promise<DeploymentHistoryResponse>;
  /** The four keys of one entity, or of the entities a group owns. */
  getDoraMetrics(
    request: { entityRef?: string; group?: string; from?: string; to?: string },
    options: { credentials: BackstageCredentials },
  ): Promise<DoraMetrics & { entityRefs: string[] }>;
}

/** A list filter as query parameters; arrays become repeated parameters. */
function toQuery(filter: object): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined) {
        query.append(key, String(item));
      }
    }
  }
  return query;
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
    return this.#fetchJson('GET', `/readiness?${query}`, options.credentials);
  }

  async getSlos(
    request: { entityRef: string },
    options: { credentials: BackstageCredentials },
  ): Promise<SloReport> {
    const query = new URLSearchParams({ entityRef: request.entityRef });
    return this.#fetchJson('GET', `/slos?${query}`, options.credentials);
  }

  async listIncidents(
    filter: IncidentFilter,
    options: { credentials: BackstageCredentials },
  ): Promise<RecordPage<Incident>> {
    return this.#fetchJson(
      'GET',
      `/incidents?${toQuery(filter)}`,
      options.credentials,
    );
  }

  async createIncident(
    request: CreateIncidentRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<Incident> {
    return this.#fetchJson('POST', '/incidents', options.credentials, request);
  }

  async getIncident(
    request: { id: string },
    options: { credentials: BackstageCredentials },
  ): Promise<Incident> {
    return this.#fetchJson(
      'GET',
      `/incidents/${encodeURIComponent(request.id)}`,
      options.credentials,
    );
  }

  async updateIncident(
    request: { id: string } & UpdateIncidentRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<Incident> {
    const { id, ...body } = request;
    return this.#fetchJson(
      'PATCH',
      `/incidents/${encodeURIComponent(id)}`,
      options.credentials,
      body,
    );
  }

  async appendIncidentEvent(
    request: { incidentId: string } & AppendIncidentEventRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<IncidentEvent> {
    const { incidentId, ...body } = request;
    return this.#fetchJson(
      'POST',
      `/incidents/${encodeURIComponent(incidentId)}/events`,
      options.credentials,
      body,
    );
  }

  async listDrills(
    filter: DrillFilter,
    options: { credentials: BackstageCredentials },
  ): Promise<RecordPage<Drill>> {
    return this.#fetchJson(
      'GET',
      `/drills?${toQuery(filter)}`,
      options.credentials,
    );
  }

  async createDrill(
    request: CreateDrillRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<Drill> {
    return this.#fetchJson('POST', '/drills', options.credentials, request);
  }

  async updateDrill(
    request: { id: string } & UpdateDrillRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<Drill> {
    const { id, ...body } = request;
    return this.#fetchJson(
      'PATCH',
      `/drills/${encodeURIComponent(id)}`,
      options.credentials,
      body,
    );
  }

  async upsertDrillStep(
    request: { drillId: string; name: string } & UpsertDrillStepRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<Drill> {
    const { drillId, name, ...body } = request;
    return this.#fetchJson(
      'PUT',
      `/drills/${encodeURIComponent(drillId)}/steps/${encodeURIComponent(
        name,
      )}`,
      options.credentials,
      body,
    );
  }

  async createDeployment(
    request: CreateDeploymentRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<Deployment> {
    return this.#fetchJson(
      'POST',
      '/deployments',
      options.credentials,
      request,
    );
  }

  async listDeployments(
    filter: DeploymentFilter & { entityRef: string },
    options: { credentials: BackstageCredentials },
  ): Promise<RecordPage<Deployment>> {
    return this.#fetchJson(
      'GET',
      `/deployments?${toQuery(filter)}`,
      options.credentials,
    );
  }

  async getDeploymentHistory(
    request: { entityRef: string },
    options: { credentials: BackstageCredentials },
  ): Promise<DeploymentHistoryResponse> {
    return this.#fetchJson(
      'GET',
      `/deployments/history?${toQuery(request)}`,
      options.credentials,
    );
  }

  async getDoraMetrics(
    request: { entityRef?: string; group?: string; from?: string; to?: string },
    options: { credentials: BackstageCredentials },
  ): Promise<DoraMetrics & { entityRefs: string[] }> {
    return this.#fetchJson(
      'GET',
      `/dora?${toQuery(request)}`,
      options.credentials,
    );
  }

  async #fetchJson<T>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT',
    path: string,
    credentials: BackstageCredentials,
    body?: object,
  ): Promise<T> {
    const baseUrl = await this.#discovery.getBaseUrl('ops');
    const { token } = await this.#auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'ops',
    });
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
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

import {
  AuthService,
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  createServiceRef,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
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
  OpsApiClient,
  ReadinessReport,
  SloReport,
  UpdateDrillRequest,
  UpdateIncidentRequest,
  UpsertDrillStepRequest,
} from '@opsdeck/plugin-ops-common';

/**
 * Options of every {@link OpsService} call: the call is made on behalf of
 * these credentials.
 *
 * @public
 */
export interface OpsServiceRequestOptions {
  credentials: BackstageCredentials;
}

/**
 * Reads and writes OpsDeck records through the ops backend's HTTP API.
 *
 * @remarks
 * Other backend packages (scaffolder actions, modules) use this instead of the
 * ops database: every call goes through the ops backend, so validation,
 * permissions and the audit log apply to them as to any user. Calls are made
 * on behalf of the given credentials.
 *
 * Named as notifications-node names its service; the service ref's id
 * (`ops.client`) is the one it had as OpsClient.
 *
 * @public
 */
export interface OpsService {
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

/**
 * @deprecated Renamed {@link OpsService}; this alias goes when no package uses it.
 * @public
 */
export type OpsClient = OpsService;

/**
 * The {@link OpsService} over HTTP: a thin wrapper over ops-common's
 * generated {@link @opsdeck/plugin-ops-common#OpsApiClient}, found with the
 * discovery service, each call with a token on behalf of the given
 * credentials.
 *
 * @public
 */
export class DefaultOpsService implements OpsService {
  readonly #client: OpsApiClient;
  readonly #auth: AuthService;

  static create(options: { discovery: DiscoveryService; auth: AuthService }) {
    return new DefaultOpsService(options.discovery, options.auth);
  }

  private constructor(discovery: DiscoveryService, auth: AuthService) {
    this.#client = new OpsApiClient({ discoveryApi: discovery });
    this.#auth = auth;
  }

  async getReadiness(
    request: { entityRef: string },
    options: OpsServiceRequestOptions,
  ) {
    return this.#client.getReadiness(request, await this.#token(options));
  }

  async getSlos(
    request: { entityRef: string },
    options: OpsServiceRequestOptions,
  ) {
    return this.#client.getSlos(request, await this.#token(options));
  }

  async listIncidents(
    filter: IncidentFilter,
    options: OpsServiceRequestOptions,
  ) {
    return this.#client.listIncidents(filter, await this.#token(options));
  }

  async createIncident(
    request: CreateIncidentRequest,
    options: OpsServiceRequestOptions,
  ) {
    return this.#client.createIncident(request, await this.#token(options));
  }

  async getIncident(
    request: { id: string },
    options: OpsServiceRequestOptions,
  ) {
    return this.#client.getIncident(request, await this.#token(options));
  }

  async updateIncident(
    request: { id: string } & UpdateIncidentRequest,
    options: OpsServiceRequestOptions,
  ) {
    return this.#client.updateIncident(request, await this.#token(options));
  }

  async appendIncidentEvent(
    request: { incidentId: string } & AppendIncidentEventRequest,
    options: OpsServiceRequestOptions,
  ) {
    return this.#client.appendIncidentEvent(
      request,
      await this.#token(options),
    );
  }

  async listDrills(filter: DrillFilter, options: OpsServiceRequestOptions) {
    return this.#client.listDrills(filter, await this.#token(options));
  }

  async createDrill(
    request: CreateDrillRequest,
    options: OpsServiceRequestOptions,
  ) {
    return this.#client.createDrill(request, await this.#token(options));
  }

  async updateDrill(
    request: { id: string } & UpdateDrillRequest,
    options: OpsServiceRequestOptions,
  ) {
    return this.#client.updateDrill(request, await this.#token(options));
  }

  async upsertDrillStep(
    request: { drillId: string; name: string } & UpsertDrillStepRequest,
    options: OpsServiceRequestOptions,
  ) {
    return this.#client.upsertDrillStep(request, await this.#token(options));
  }

  async createDeployment(
    request: CreateDeploymentRequest,
    options: OpsServiceRequestOptions,
  ) {
    return this.#client.createDeployment(request, await this.#token(options));
  }

  async listDeployments(
    filter: DeploymentFilter & { entityRef: string },
    options: OpsServiceRequestOptions,
  ) {
    return this.#client.listDeployments(filter, await this.#token(options));
  }

  async getDeploymentHistory(
    request: { entityRef: string },
    options: OpsServiceRequestOptions,
  ) {
    return this.#client.getDeploymentHistory(
      request,
      await this.#token(options),
    );
  }

  async getDoraMetrics(
    request: { entityRef?: string; group?: string; from?: string; to?: string },
    options: OpsServiceRequestOptions,
  ) {
    return this.#client.getDoraMetrics(request, await this.#token(options));
  }

  /** A token for the ops backend on behalf of the caller's credentials. */
  async #token(options: OpsServiceRequestOptions): Promise<{ token: string }> {
    return this.#auth.getPluginRequestToken({
      onBehalfOf: options.credentials,
      targetPluginId: 'ops',
    });
  }
}

/**
 * @deprecated Renamed {@link DefaultOpsService}; this alias goes when no package uses it.
 * @public
 */
export const DefaultOpsClient = DefaultOpsService;

/**
 * Service ref of the {@link OpsService}. Its id stays `ops.client`, the id it
 * had as `opsClientServiceRef`.
 *
 * @public
 */
export const opsServiceRef = createServiceRef<OpsService>({
  id: 'ops.client',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      factory: ({ discovery, auth }) =>
        DefaultOpsService.create({ discovery, auth }),
    }),
});

/**
 * @deprecated Renamed {@link opsServiceRef} (the same ref); this alias goes
 * when no package uses it.
 * @public
 */
export const opsClientServiceRef = opsServiceRef;

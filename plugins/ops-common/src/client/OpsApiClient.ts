// openapi-fetch names its methods after the HTTP verbs (GET, POST, ...).
/* eslint-disable new-cap */
import createClient from 'openapi-fetch';
import type {
  CreateDeploymentRequest,
  Deployment,
  DeploymentFilter,
  DeploymentHistoryResponse,
  DoraMetrics,
} from '../dora';
import type {
  CreateOnCallOverrideRequest,
  OnCallOverride,
  OnCallStatus,
} from '../oncall';
import type { ReadinessReport } from '../readiness';
import type {
  AppendIncidentEventRequest,
  CreateDrillRequest,
  CreateIncidentRequest,
  Drill,
  DrillFilter,
  Incident,
  IncidentEvent,
  IncidentFilter,
  RecordPage,
  SeverityLevel,
  UpdateDrillRequest,
  UpdateIncidentRequest,
  UpsertDrillStepRequest,
} from '../records';
import type { paths } from '../schema/generated/openapi';
import type { SloBudgetHistory, SloReport } from '../sloReports';
import { PostmortemsApiClient } from './PostmortemsApiClient';
import { toQuery } from './query';
import { dataOf, fetchByUrl, modelOf } from './responses';
import type {
  OpsApiDiscovery,
  OpsApiFetch,
  OpsApiRequestOptions,
} from './types';

/**
 * The typed client of the ops backend's HTTP API (`/api/ops`), generated
 * from its OpenAPI document and used by the frontend's OpsClient and by
 * ops-node's OpsService.
 *
 * @remarks
 * Every method takes one request object. A response that is not a success
 * rejects with a `ResponseError` of `@backstage/errors`, whose message is
 * the backend's own.
 *
 * @public
 */
export class OpsApiClient {
  readonly #discoveryApi: OpsApiDiscovery;
  readonly #client;
  /** Post-mortems of incidents and their action items. */
  readonly postmortems: PostmortemsApiClient;

  constructor(options: {
    discoveryApi: OpsApiDiscovery;
    /** Defaults to the global fetch (a backend adds a token per call). */
    fetchApi?: OpsApiFetch;
  }) {
    this.#discoveryApi = options.discoveryApi;
    this.#client = createClient<paths>({
      fetch: fetchByUrl(
        options.fetchApi ?? { fetch: (input, init) => fetch(input, init) },
      ),
    });
    this.postmortems = new PostmortemsApiClient(this.#client, o =>
      this.#init(o),
    );
  }

  async getReadiness(
    request: { entityRef: string },
    options?: OpsApiRequestOptions,
  ): Promise<ReadinessReport> {
    return dataOf(
      await this.#client.GET('/readiness', {
        ...(await this.#init(options)),
        params: { query: toQuery(request) },
      }),
    );
  }

  /** The configured severity levels, most severe first. */
  async getSeverities(
    _request: {} = {},
    options?: OpsApiRequestOptions,
  ): Promise<{ items: SeverityLevel[] }> {
    return dataOf(
      await this.#client.GET('/severities', await this.#init(options)),
    );
  }

  /** One page of incidents, newest first. */
  async listIncidents(
    request: IncidentFilter,
    options?: OpsApiRequestOptions,
  ): Promise<RecordPage<Incident>> {
    return dataOf(
      await this.#client.GET('/incidents', {
        ...(await this.#init(options)),
        params: { query: toQuery(request) },
      }),
    );
  }

  async getIncident(
    request: { id: string },
    options?: OpsApiRequestOptions,
  ): Promise<Incident> {
    return dataOf(
      await this.#client.GET('/incidents/{id}', {
        ...(await this.#init(options)),
        params: { path: { id: request.id } },
      }),
    );
  }

  /** Declares an incident; refused with 403 outside the entity's owners. */
  async createIncident(
    request: CreateIncidentRequest,
    options?: OpsApiRequestOptions,
  ): Promise<Incident> {
    return dataOf(
      await this.#client.POST('/incidents', {
        ...(await this.#init(options)),
        body: request,
      }),
    );
  }

  /** Refused with 409 (`ConflictError`) when the incident changed since `version`. */
  async updateIncident(
    request: { id: string } & UpdateIncidentRequest,
    options?: OpsApiRequestOptions,
  ): Promise<Incident> {
    const { id, ...body } = request;
    return dataOf(
      await this.#client.PATCH('/incidents/{id}', {
        ...(await this.#init(options)),
        params: { path: { id } },
        body,
      }),
    );
  }

  /**
   * One page of the incident's timeline: the latest events (oldest first
   * within the page); pass `nextCursor` back for the earlier ones.
   */
  async listIncidentEvents(
    request: { incidentId: string; cursor?: string; limit?: number },
    options?: OpsApiRequestOptions,
  ): Promise<RecordPage<IncidentEvent>> {
    const { incidentId, cursor, limit } = request;
    return dataOf(
      await this.#client.GET('/incidents/{id}/events', {
        ...(await this.#init(options)),
        params: {
          path: { id: incidentId },
          query: toQuery({ cursor, limit }),
        },
      }),
    );
  }

  /** Adds a note or an action to the incident's timeline. */
  async appendIncidentEvent(
    request: { incidentId: string } & AppendIncidentEventRequest,
    options?: OpsApiRequestOptions,
  ): Promise<IncidentEvent> {
    const { incidentId, ...body } = request;
    return dataOf(
      await this.#client.POST('/incidents/{id}/events', {
        ...(await this.#init(options)),
        params: { path: { id: incidentId } },
        body,
      }),
    );
  }

  /** One page of drills, newest first. */
  async listDrills(
    request: DrillFilter,
    options?: OpsApiRequestOptions,
  ): Promise<RecordPage<Drill>> {
    return dataOf(
      await this.#client.GET('/drills', {
        ...(await this.#init(options)),
        params: { query: toQuery(request) },
      }),
    );
  }

  async getDrill(
    request: { id: string },
    options?: OpsApiRequestOptions,
  ): Promise<Drill> {
    return dataOf(
      await this.#client.GET('/drills/{id}', {
        ...(await this.#init(options)),
        params: { path: { id: request.id } },
      }),
    );
  }

  async createDrill(
    request: CreateDrillRequest,
    options?: OpsApiRequestOptions,
  ): Promise<Drill> {
    return dataOf(
      await this.#client.POST('/drills', {
        ...(await this.#init(options)),
        body: request,
      }),
    );
  }

  async updateDrill(
    request: { id: string } & UpdateDrillRequest,
    options?: OpsApiRequestOptions,
  ): Promise<Drill> {
    const { id, ...body } = request;
    return dataOf(
      await this.#client.PATCH('/drills/{id}', {
        ...(await this.#init(options)),
        params: { path: { id } },
        body,
      }),
    );
  }

  /** Records the state of one step of a running drill, by name. */
  async upsertDrillStep(
    request: { drillId: string; name: string } & UpsertDrillStepRequest,
    options?: OpsApiRequestOptions,
  ): Promise<Drill> {
    const { drillId, name, ...body } = request;
    return dataOf(
      await this.#client.PUT('/drills/{id}/steps/{name}', {
        ...(await this.#init(options)),
        params: { path: { id: drillId, name } },
        body,
      }),
    );
  }

  /**
   * The entity's SLOs evaluated on Prometheus. Problems with Prometheus or
   * with a document come back in the report, not as a rejection.
   */
  async getSlos(
    request: { entityRef: string },
    options?: OpsApiRequestOptions,
  ): Promise<SloReport> {
    return modelOf(
      await this.#client.GET('/slos', {
        ...(await this.#init(options)),
        params: { query: toQuery(request) },
      }),
    );
  }

  /** The remaining error budget of one SLO over its window. */
  async getSloHistory(
    request: { entityRef: string; slo: string },
    options?: OpsApiRequestOptions,
  ): Promise<SloBudgetHistory> {
    return modelOf(
      await this.#client.GET('/slos/history', {
        ...(await this.#init(options)),
        params: { query: toQuery(request) },
      }),
    );
  }

  /** Who is on call for the entity now and next, per escalation level. */
  async getOnCall(
    request: { entityRef: string },
    options?: OpsApiRequestOptions,
  ): Promise<OnCallStatus> {
    return dataOf(
      await this.#client.GET('/oncall', {
        ...(await this.#init(options)),
        params: { query: toQuery(request) },
      }),
    );
  }

  /** The overrides of the entity's schedule that have not ended. */
  async listOnCallOverrides(
    request: { entityRef: string },
    options?: OpsApiRequestOptions,
  ): Promise<{ items: OnCallOverride[] }> {
    return dataOf(
      await this.#client.GET('/oncall/overrides', {
        ...(await this.#init(options)),
        params: { query: toQuery(request) },
      }),
    );
  }

  /** Puts someone on call instead (a shift swap); needs ops.oncall.write. */
  async addOnCallOverride(
    request: CreateOnCallOverrideRequest,
    options?: OpsApiRequestOptions,
  ): Promise<OnCallOverride> {
    return dataOf(
      await this.#client.POST('/oncall/overrides', {
        ...(await this.#init(options)),
        body: request,
      }),
    );
  }

  async deleteOnCallOverride(
    request: { id: string },
    options?: OpsApiRequestOptions,
  ): Promise<OnCallOverride> {
    return dataOf(
      await this.#client.DELETE('/oncall/overrides/{id}', {
        ...(await this.#init(options)),
        params: { path: { id: request.id } },
      }),
    );
  }

  /** Records a deployment (a rollback records one with status `rolled-back`). */
  async createDeployment(
    request: CreateDeploymentRequest,
    options?: OpsApiRequestOptions,
  ): Promise<Deployment> {
    return dataOf(
      await this.#client.POST('/deployments', {
        ...(await this.#init(options)),
        body: request,
      }),
    );
  }

  /** One page of recorded deployments of an entity, newest first. */
  async listDeployments(
    request: DeploymentFilter & { entityRef: string },
    options?: OpsApiRequestOptions,
  ): Promise<RecordPage<Deployment>> {
    return dataOf(
      await this.#client.GET('/deployments', {
        ...(await this.#init(options)),
        params: { query: toQuery(request) },
      }),
    );
  }

  /** The entity's workloads and their revisions, from every history source. */
  async getDeploymentHistory(
    request: { entityRef: string },
    options?: OpsApiRequestOptions,
  ): Promise<DeploymentHistoryResponse> {
    return dataOf(
      await this.#client.GET('/deployments/history', {
        ...(await this.#init(options)),
        params: { query: toQuery(request) },
      }),
    );
  }

  /** The four keys of one entity, or of the entities a group owns. */
  async getDoraMetrics(
    request: { entityRef?: string; group?: string; from?: string; to?: string },
    options?: OpsApiRequestOptions,
  ): Promise<DoraMetrics & { entityRefs: string[] }> {
    return dataOf(
      await this.#client.GET('/dora', {
        ...(await this.#init(options)),
        params: { query: toQuery(request) },
      }),
    );
  }

  /** The base URL and credentials of one call. */
  async #init(options?: OpsApiRequestOptions) {
    return {
      baseUrl: await this.#discoveryApi.getBaseUrl('ops'),
      headers: options?.token
        ? { Authorization: `Bearer ${options.token}` }
        : undefined,
    };
  }
}

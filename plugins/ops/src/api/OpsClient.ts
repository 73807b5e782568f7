import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AppendIncidentEventRequest,
  CreateIncidentRequest,
  CreateOnCallOverrideRequest,
  Deployment,
  DeploymentFilter,
  DeploymentHistoryResponse,
  DoraMetrics,
  Drill,
  DrillFilter,
  Incident,
  IncidentEvent,
  IncidentFilter,
  OnCallOverride,
  OnCallStatus,
  ReadinessReport,
  RecordPage,
  SeverityLevel,
  SloBudgetHistory,
  SloReport,
  UpdateIncidentRequest,
} from '@opsdeck/plugin-ops-common';
import { OpsApi } from './OpsApi';

type QueryValue = string | number | readonly string[] | undefined;

/**
 * A query string of the given parameters: arrays become repeated
 * parameters (`status=open&status=investigating`), undefined ones are left
 * out.
 */
function toQuery(parameters: Record<string, QueryValue>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value === undefined) {
      continue;
    }
    const values = Array.isArray(value) ? value : [value];
    for (const each of values) {
      query.append(name, String(each));
    }
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

function idPath(prefix: string, id: string, suffix = ''): string {
  return `${prefix}/${encodeURIComponent(id)}${suffix}`;
}

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
    return this.#request('GET', `/readiness${toQuery(request)}`);
  }

  async getSeverities(): Promise<{ items: SeverityLevel[] }> {
    return this.#request('GET', '/severities');
  }

  async listIncidents(
    filter: IncidentFilter = {},
  ): Promise<RecordPage<Incident>> {
    const { entityRef, status, severity, from, to, cursor, limit } = filter;
    return this.#request(
      'GET',
      `/incidents${toQuery({
        entityRef,
        status,
        severity,
        from,
        to,
        cursor,
        limit,
      })}`,
    );
  }

  async getIncident(id: string): Promise<Incident> {
    return this.#request('GET', idPath('/incidents', id));
  }

  async createIncident(request: CreateIncidentRequest): Promise<Incident> {
    return this.#request('POST', '/incidents', request);
  }

  async updateIncident(
    id: string,
    request: UpdateIncidentRequest,
  ): Promise<Incident> {
    return this.#request('PATCH', idPath('/incidents', id), request);
  }

  async listIncidentEvents(id: string): Promise<{ items: IncidentEvent[] }> {
    return this.#request('GET', idPath('/incidents', id, '/events'));
  }

  async appendIncidentEvent(
    id: string,
    request: AppendIncidentEventRequest,
  ): Promise<IncidentEvent> {
    return this.#request('POST', idPath('/incidents', id, '/events'), request);
  }

  async listDrills(filter: DrillFilter = {}): Promise<RecordPage<Drill>> {
    const { entityRef, kind, status, from, to, cursor, limit } = filter;
    return this.#request(
      'GET',
      `/drills${toQuery({ entityRef, kind, status, from, to, cursor, limit })}`,
    );
  }

  async getDrill(id: string): Promise<Drill> {
    return this.#request('GET', idPath('/drills', id));
  }

  async getSlos(request: { entityRef: string }): Promise<SloReport> {
    return this.#request('GET', `/slos${toQuery(request)}`);
  }

  async getSloHistory(request: {
    entityRef: string;
    slo: string;
  }): Promise<SloBudgetHistory> {
    return this.#request('GET', `/slos/history${toQuery(request)}`);
  }

  async getOnCall(request: { entityRef: string }): Promise<OnCallStatus> {
    return this.#request('GET', `/oncall${toQuery(request)}`);
  }

  async listOnCallOverrides(request: {
    entityRef: string;
  }): Promise<{ items: OnCallOverride[] }> {
    return this.#request('GET', `/oncall/overrides${toQuery(request)}`);
  }

  async addOnCallOverride(
    request: CreateOnCallOverrideRequest,
  ): Promise<OnCallOverride> {
    return this.#request('POST', '/oncall/overrides', request);
  }

  async deleteOnCallOverride(id: string): Promise<OnCallOverride> {
    return this.#request('DELETE', idPath('/oncall/overrides', id));
  }

  async listDeployments(
    filter: DeploymentFilter & { entityRef: string },
  ): Promise<RecordPage<Deployment>> {
    const { entityRef, environment, from, to, cursor, limit } = filter;
    return this.#request(
      'GET',
      `/deployments${toQuery({
        entityRef,
        environment,
        from,
        to,
        cursor,
        limit,
      })}`,
    );
  }

  async getDeploymentHistory(request: {
    entityRef: string;
  }): Promise<DeploymentHistoryResponse> {
    return this.#request('GET', `/deployments/history${toQuery(request)}`);
  }

  async getDoraMetrics(request: {
    entityRef?: string;
    group?: string;
    from?: string;
    to?: string;
  }): Promise<DoraMetrics & { entityRefs: string[] }> {
    return this.#request('GET', `/dora${toQuery(request)}`);
  }

  async #request<T>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: object,
  ): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('ops');
    const response = await this.#fetchApi.fetch(
      `${baseUrl}${path}`,
      body === undefined
        ? { method }
        : {
            method,
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

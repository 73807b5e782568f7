import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ActionItem,
  ActionItemFilter,
  AppendIncidentEventRequest,
  ChangePostmortemStatusRequest,
  CreateActionItemRequest,
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
  OpsApiClient,
  Postmortem,
  PostmortemFilter,
  ReadinessReport,
  RecordPage,
  SeverityLevel,
  SloBudgetHistory,
  SloReport,
  UpdateActionItemRequest,
  UpdateIncidentRequest,
  UpdatePostmortemRequest,
} from '@opsdeck/plugin-ops-common';
import { OpsApi } from './OpsApi';

/**
 * The {@link OpsApi} over HTTP, with the signed-in user's credentials: a thin
 * wrapper over ops-common's generated {@link @opsdeck/plugin-ops-common#OpsApiClient}.
 *
 * @public
 */
export class OpsClient implements OpsApi {
  readonly #client: OpsApiClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#client = new OpsApiClient(options);
  }

  getReadiness(request: { entityRef: string }): Promise<ReadinessReport> {
    return this.#client.getReadiness(request);
  }

  getSeverities(): Promise<{ items: SeverityLevel[] }> {
    return this.#client.getSeverities();
  }

  listIncidents(filter: IncidentFilter = {}): Promise<RecordPage<Incident>> {
    return this.#client.listIncidents(filter);
  }

  getIncident(id: string): Promise<Incident> {
    return this.#client.getIncident({ id });
  }

  createIncident(request: CreateIncidentRequest): Promise<Incident> {
    return this.#client.createIncident(request);
  }

  updateIncident(
    id: string,
    request: UpdateIncidentRequest,
  ): Promise<Incident> {
    return this.#client.updateIncident({ ...request, id });
  }

  listIncidentEvents(
    id: string,
    page?: { cursor?: string; limit?: number },
  ): Promise<RecordPage<IncidentEvent>> {
    return this.#client.listIncidentEvents({ ...page, incidentId: id });
  }

  appendIncidentEvent(
    id: string,
    request: AppendIncidentEventRequest,
  ): Promise<IncidentEvent> {
    return this.#client.appendIncidentEvent({ ...request, incidentId: id });
  }

  listDrills(filter: DrillFilter = {}): Promise<RecordPage<Drill>> {
    return this.#client.listDrills(filter);
  }

  getDrill(id: string): Promise<Drill> {
    return this.#client.getDrill({ id });
  }

  getSlos(request: { entityRef: string }): Promise<SloReport> {
    return this.#client.getSlos(request);
  }

  getSloHistory(request: {
    entityRef: string;
    slo: string;
  }): Promise<SloBudgetHistory> {
    return this.#client.getSloHistory(request);
  }

  getOnCall(request: { entityRef: string }): Promise<OnCallStatus> {
    return this.#client.getOnCall(request);
  }

  listOnCallOverrides(request: {
    entityRef: string;
  }): Promise<{ items: OnCallOverride[] }> {
    return this.#client.listOnCallOverrides(request);
  }

  addOnCallOverride(
    request: CreateOnCallOverrideRequest,
  ): Promise<OnCallOverride> {
    return this.#client.addOnCallOverride(request);
  }

  deleteOnCallOverride(id: string): Promise<OnCallOverride> {
    return this.#client.deleteOnCallOverride({ id });
  }

  listDeployments(
    filter: DeploymentFilter & { entityRef: string },
  ): Promise<RecordPage<Deployment>> {
    return this.#client.listDeployments(filter);
  }

  getDeploymentHistory(request: {
    entityRef: string;
  }): Promise<DeploymentHistoryResponse> {
    return this.#client.getDeploymentHistory(request);
  }

  getDoraMetrics(request: {
    entityRef?: string;
    group?: string;
    from?: string;
    to?: string;
  }): Promise<DoraMetrics & { entityRefs: string[] }> {
    return this.#client.getDoraMetrics(request);
  }

  createPostmortem(incidentId: string): Promise<Postmortem> {
    return this.#client.postmortems.create({ incidentId });
  }

  async findPostmortemOfIncident(
    incidentId: string,
  ): Promise<Postmortem | undefined> {
    try {
      return await this.#client.postmortems.getByIncident({ incidentId });
    } catch (error) {
      // Most incidents have none: that is an answer, not a failure.
      if (ResponseError.is(error) && error.statusCode === 404) {
        return undefined;
      }
      throw error;
    }
  }

  listPostmortems(
    filter: PostmortemFilter = {},
  ): Promise<{ items: Postmortem[] }> {
    return this.#client.postmortems.list(filter);
  }

  getPostmortem(id: string): Promise<Postmortem> {
    return this.#client.postmortems.get({ id });
  }

  updatePostmortem(
    id: string,
    request: UpdatePostmortemRequest,
  ): Promise<Postmortem> {
    return this.#client.postmortems.update({ ...request, id });
  }

  changePostmortemStatus(
    id: string,
    request: ChangePostmortemStatusRequest,
  ): Promise<Postmortem> {
    return this.#client.postmortems.changeStatus({ ...request, id });
  }

  exportPostmortemMarkdown(id: string): Promise<string> {
    return this.#client.postmortems.exportMarkdown({ id });
  }

  addActionItem(
    postmortemId: string,
    request: CreateActionItemRequest,
  ): Promise<ActionItem> {
    return this.#client.postmortems.addActionItem({ ...request, postmortemId });
  }

  listActionItems(
    filter: ActionItemFilter = {},
  ): Promise<{ items: ActionItem[] }> {
    return this.#client.postmortems.listActionItems(filter);
  }

  updateActionItem(
    id: string,
    request: UpdateActionItemRequest,
  ): Promise<ActionItem> {
    return this.#client.postmortems.updateActionItem({ ...request, id });
  }
}

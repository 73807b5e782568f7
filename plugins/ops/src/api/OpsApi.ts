import { createApiRef } from '@backstage/core-plugin-api';
import {
  ActionItem,
  ActionItemFilter,
  AppendIncidentEventRequest,
  ChangePostmortemStatusRequest,
  CreateActionItemRequest,
  Deployment,
  DeploymentFilter,
  DeploymentHistoryResponse,
  DoraMetrics,
  CreateIncidentRequest,
  CreateOnCallOverrideRequest,
  Drill,
  DrillFilter,
  Incident,
  IncidentEvent,
  IncidentFilter,
  OnCallOverride,
  OnCallStatus,
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

/**
 * The OpsDeck backend, as the frontend sees it.
 *
 * @remarks
 * Every method rejects with a `ResponseError` from `@backstage/errors` when
 * the backend answers with an error; its message is the backend's own.
 *
 * @public
 */
export interface OpsApi {
  getReadiness(request: { entityRef: string }): Promise<ReadinessReport>;

  /** The configured severity levels, most severe first. */
  getSeverities(): Promise<{ items: SeverityLevel[] }>;

  /** One page of incidents, newest first. */
  listIncidents(filter?: IncidentFilter): Promise<RecordPage<Incident>>;

  getIncident(id: string): Promise<Incident>;

  /** Declares an incident; refused with 403 outside the entity's owners. */
  createIncident(request: CreateIncidentRequest): Promise<Incident>;

  /**
   * Changes an incident. `request.version` must be the version that was
   * read: if someone changed the incident since, the change is refused with
   * 409 (`ConflictError`).
   */
  updateIncident(id: string, request: UpdateIncidentRequest): Promise<Incident>;

  /**
   * One page of the incident's timeline: the latest events, oldest first
   * within the page; `page.cursor` (a previous `nextCursor`) for earlier ones.
   */
  listIncidentEvents(
    id: string,
    page?: { cursor?: string; limit?: number },
  ): Promise<RecordPage<IncidentEvent>>;

  /** Adds a note or an action to the incident's timeline. */
  appendIncidentEvent(
    id: string,
    request: AppendIncidentEventRequest,
  ): Promise<IncidentEvent>;

  /** One page of drills, newest first. */
  listDrills(filter?: DrillFilter): Promise<RecordPage<Drill>>;

  getDrill(id: string): Promise<Drill>;

  /**
   * The entity's SLOs evaluated on Prometheus. Problems with Prometheus or
   * with a document come back in the report (`error`, `definitionErrors`,
   * each SLO's `error`), not as a rejection.
   */
  getSlos(request: { entityRef: string }): Promise<SloReport>;

  /** The remaining error budget of one SLO over its window. */
  getSloHistory(request: {
    entityRef: string;
    slo: string;
  }): Promise<SloBudgetHistory>;

  /** Who is on call for the entity now and next, per escalation level. */
  getOnCall(request: { entityRef: string }): Promise<OnCallStatus>;

  /** The overrides of the entity's schedule that have not ended. */
  listOnCallOverrides(request: {
    entityRef: string;
  }): Promise<{ items: OnCallOverride[] }>;

  /** Puts someone on call instead (a shift swap); needs ops.oncall.write. */
  addOnCallOverride(
    request: CreateOnCallOverrideRequest,
  ): Promise<OnCallOverride>;

  deleteOnCallOverride(id: string): Promise<OnCallOverride>;

  /** One page of recorded deployments of an entity, newest first. */
  listDeployments(
    filter: DeploymentFilter & { entityRef: string },
  ): Promise<RecordPage<Deployment>>;

  /** The entity's workloads and their revisions, from every history source. */
  getDeploymentHistory(request: {
    entityRef: string;
  }): Promise<DeploymentHistoryResponse>;

  /** The four keys of an entity, or of the entities a group owns. */
  getDoraMetrics(request: {
    entityRef?: string;
    group?: string;
    from?: string;
    to?: string;
  }): Promise<DoraMetrics & { entityRefs: string[] }>;

  /**
   * Starts the post-mortem of a mitigated or resolved incident, with a draft
   * written from its facts; 409 when it has one already.
   */
  createPostmortem(incidentId: string): Promise<Postmortem>;

  /** The incident's post-mortem, or undefined when it has none. */
  findPostmortemOfIncident(incidentId: string): Promise<Postmortem | undefined>;

  /** The post-mortems the user may read, the newest incident first. */
  listPostmortems(filter?: PostmortemFilter): Promise<{ items: Postmortem[] }>;

  getPostmortem(id: string): Promise<Postmortem>;

  /** Saves the text; 409 (`ConflictError`) when it changed since `request.version`. */
  updatePostmortem(
    id: string,
    request: UpdatePostmortemRequest,
  ): Promise<Postmortem>;

  /** draft → in-review → published, or in-review → draft. */
  changePostmortemStatus(
    id: string,
    request: ChangePostmortemStatusRequest,
  ): Promise<Postmortem>;

  /** The markdown file (front matter and body) to commit to TechDocs. */
  exportPostmortemMarkdown(id: string): Promise<string>;

  addActionItem(
    postmortemId: string,
    request: CreateActionItemRequest,
  ): Promise<ActionItem>;

  /** Action items, the overdue ones first, then by due date. */
  listActionItems(filter?: ActionItemFilter): Promise<{ items: ActionItem[] }>;

  /** Closes, reopens or edits an action item; 409 when it changed since `request.version`. */
  updateActionItem(
    id: string,
    request: UpdateActionItemRequest,
  ): Promise<ActionItem>;
}

/**
 * API reference of the {@link OpsApi}.
 *
 * @public
 */
export const opsApiRef = createApiRef<OpsApi>({ id: 'plugin.ops.service' });

import { createHash } from 'node:crypto';
import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { Incident, runbookForAlert } from '@opsdeck/plugin-ops-common';
import { AlertGroupStore, AlertStates } from './AlertGroupStore';
import { IncidentStore } from '../incidents/IncidentStore';
import { EntityAccess } from '../access/EntityAccess';
import { IncidentsService } from '../incidents/IncidentsService';
import { OnCallService } from '../oncall/OnCallService';
import {
  AlertmanagerAlert,
  AlertmanagerWebhookPayload,
  AlertmanagerWebhookResult,
} from './alertmanagerPayload';
import { alertData, describe, incidentText } from './incidentText';
import { AlertmanagerOptions, incidentSeverity } from './severityMapping';

/** How long a delivery waits for a concurrent one that is opening the incident. */
const CLAIM_WAIT_MS = 5000;
const CLAIM_POLL_MS = 100;

/**
 * The kinds an alert may open an incident on: what runs in production, the
 * kinds the OpsDeck entity cards and tabs attach to (plugins/ops, alpha.tsx).
 * An alert naming another kind (a User, a Group) is ignored, not followed.
 */
const INCIDENT_KINDS = ['component', 'resource'];

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Turns Alertmanager notifications into incidents: the first firing of a
 * group opens an incident on the service the alerts name, later deliveries
 * of the group add to its timeline, and when every alert of the group is
 * resolved the incident is marked mitigated (a person resolves it, after
 * checking). The incident records the alert, its runbook and who was on
 * call when it opened.
 */
export class AlertmanagerService {
  constructor(
    private readonly deps: {
      options: AlertmanagerOptions;
      access: EntityAccess;
      incidents: IncidentsService;
      store: IncidentStore;
      groups: AlertGroupStore;
      onCall: OnCallService;
      appBaseUrl: string;
      logger: LoggerService;
    },
  ) {}

  async receive(
    payload: AlertmanagerWebhookPayload,
    credentials: BackstageCredentials,
  ): Promise<AlertmanagerWebhookResult> {
    const { serviceLabel } = this.deps.options;
    const byService = new Map<string, AlertmanagerAlert[]>();
    let ignored = 0;
    for (const alert of payload.alerts) {
      const service =
        alert.labels[serviceLabel] ?? payload.commonLabels[serviceLabel];
      if (!service) {
        ignored += 1;
        continue;
      }
      byService.set(service, [...(byService.get(service) ?? []), alert]);
    }

    // Resolve every service before writing anything, so a delivery naming
    // an unknown service is refused whole.
    const groups: Array<{ entity: Entity; alerts: AlertmanagerAlert[] }> = [];
    for (const [service, alerts] of byService) {
      let ref: string;
      try {
        ref = stringifyEntityRef(
          parseEntityRef(service, {
            defaultKind: 'component',
            defaultNamespace: 'default',
          }),
        );
      } catch {
        throw new InputError(
          `Invalid alert label ${serviceLabel}='${service}': not an entity name or ref`,
        );
      }
      let entity: Entity;
      try {
        entity = await this.deps.access.readableEntity(ref, credentials);
      } catch (error) {
        if (error instanceof NotFoundError) {
          throw new NotFoundError(
            `Alert label ${serviceLabel}='${service}' names no catalog entity (looked for ${ref})`,
          );
        }
        throw error;
      }
      const kind = entity.kind.toLocaleLowerCase('en-US');
      if (!INCIDENT_KINDS.includes(kind)) {
        this.deps.logger.warn(
          `Ignored ${
            alerts.length
          } alert(s) whose label ${serviceLabel}='${service}' names a ${
            entity.kind
          }: incidents open only on ${INCIDENT_KINDS.join(' or ')} entities`,
        );
        ignored += alerts.length;
        continue;
      }
      groups.push({ entity, alerts });
    }

    const result: AlertmanagerWebhookResult = { incidents: [], ignored };
    for (const { entity, alerts } of groups) {
      const outcome = await this.#receiveGroup(
        payload,
        entity,
        alerts,
        credentials,
      );
      if (outcome) result.incidents.push(outcome);
      else result.ignored += alerts.length;
    }
    return result;
  }

  async #receiveGroup(
    payload: AlertmanagerWebhookPayload,
    entity: Entity,
    alerts: AlertmanagerAlert[],
    credentials: BackstageCredentials,
  ): Promise<AlertmanagerWebhookResult['incidents'][number] | undefined> {
    const { groups, store } = this.deps;
    const entityRef = stringifyEntityRef(entity);
    const key = createHash('sha256')
      .update(`${entityRef}\n${payload.groupKey}`)
      .digest('hex');
    const states: AlertStates = Object.fromEntries(
      alerts.map(a => [a.fingerprint, a.status]),
    );
    const deadline = Date.now() + CLAIM_WAIT_MS;

    while (Date.now() < deadline) {
      const group = await groups.get(key);
      if (!group) {
        if (!alerts.some(a => a.status === 'firing')) {
          return undefined; // resolved alerts of an incident we never opened
        }
        if (
          !(await groups.claim(key, { groupKey: payload.groupKey, entityRef }))
        ) {
          continue; // another delivery claimed it a moment ago
        }
        try {
          const incident = await this.#open(
            payload,
            entity,
            key,
            alerts,
            credentials,
          );
          await groups.setIncident(key, incident.id, states);
          return { id: incident.id, entityRef, action: 'opened' };
        } catch (error) {
          await groups.release(key);
          throw error;
        }
      }
      if (!group.incidentId) {
        await sleep(CLAIM_POLL_MS); // being opened by a concurrent delivery
        continue;
      }
      const incident = await store.getIncident(group.incidentId);
      if (!incident || incident.status === 'resolved') {
        // The group fires again after its incident was closed: a new incident.
        await groups.forget(key, group.incidentId);
        continue;
      }
      return this.#update(incident, key, alerts, states, credentials);
    }
    throw new ServiceUnavailableError(
      'Another delivery of this alert group is opening its incident; retry',
    );
  }

  async #open(
    payload: AlertmanagerWebhookPayload,
    entity: Entity,
    key: string,
    alerts: AlertmanagerAlert[],
    credentials: BackstageCredentials,
  ): Promise<Incident> {
    const { options, incidents, onCall, logger } = this.deps;
    const entityRef = stringifyEntityRef(entity);
    const firing = alerts.filter(a => a.status === 'firing');
    const first = firing[0];
    const alertname =
      first.labels.alertname ?? payload.groupLabels.alertname ?? 'Alert';
    const startedAt = firing
      .map(a => a.startsAt)
      .filter(t => !Number.isNaN(Date.parse(t)))
      .sort()[0];

    const runbook = this.#runbook(entity, alertname, first);
    let oncall: Array<{ level: string; userRef: string }> = [];
    try {
      const status = await onCall.getOnCall(entityRef, credentials);
      oncall = status.levels.flatMap(l =>
        l.current ? [{ level: l.level, userRef: l.current.userRef }] : [],
      );
    } catch (error) {
      // The incident matters more than knowing who is on call.
      logger.warn(`No on-call for ${entityRef}: ${error}`);
    }

    const { title, summary, labels } = incidentText({
      payload,
      key,
      alertname,
      firing,
      runbook,
      oncall,
    });

    const incident = await incidents.create(
      {
        entityRef,
        title,
        severity: incidentSeverity(
          firing.map(a => a.labels),
          options,
          incidents.severities,
        ),
        summary,
        detectedAt: new Date().toISOString(),
        startedAt,
        labels,
      },
      credentials,
    );
    await incidents.appendEvent(
      incident.id,
      {
        type: 'note',
        message: `Alertmanager: ${firing.length} alert${
          firing.length === 1 ? '' : 's'
        } firing (${describe(firing)})`,
        data: {
          source: 'alertmanager',
          groupKey: payload.groupKey,
          externalURL: payload.externalURL,
          alerts: firing.map(alertData),
          runbook,
          oncall,
        },
      },
      credentials,
    );
    return incident;
  }

  async #update(
    incident: Incident,
    key: string,
    alerts: AlertmanagerAlert[],
    states: AlertStates,
    credentials: BackstageCredentials,
  ): Promise<AlertmanagerWebhookResult['incidents'][number]> {
    const { groups, incidents } = this.deps;
    const { before, after } = await groups.mergeAlerts(key, states);
    const newlyFiring = alerts.filter(
      a => a.status === 'firing' && before[a.fingerprint] !== 'firing',
    );
    const newlyResolved = alerts.filter(
      a => a.status === 'resolved' && before[a.fingerprint] === 'firing',
    );
    const base = { id: incident.id, entityRef: incident.entityRef };
    if (newlyFiring.length > 0) {
      await incidents.appendEvent(
        incident.id,
        {
          type: 'note',
          message: `Alertmanager: ${newlyFiring.length} more alert${
            newlyFiring.length === 1 ? '' : 's'
          } firing (${describe(newlyFiring)})`,
          data: { source: 'alertmanager', alerts: newlyFiring.map(alertData) },
        },
        credentials,
      );
      if (incident.status === 'mitigated') {
        await this.#setStatus(incident.id, 'investigating', credentials);
      }
    }
    if (newlyResolved.length > 0) {
      await incidents.appendEvent(
        incident.id,
        {
          type: 'note',
          message: `Alertmanager: ${newlyResolved.length} alert${
            newlyResolved.length === 1 ? '' : 's'
          } resolved (${describe(newlyResolved)})`,
          data: {
            source: 'alertmanager',
            alerts: newlyResolved.map(alertData),
          },
        },
        credentials,
      );
    }
    const allResolved = Object.values(after).every(s => s === 'resolved');
    if (allResolved && newlyResolved.length > 0) {
      await this.#setStatus(incident.id, 'mitigated', credentials);
      return { ...base, action: 'mitigated' };
    }
    return {
      ...base,
      action:
        newlyFiring.length + newlyResolved.length > 0 ? 'updated' : 'unchanged',
    };
  }

  /** Moves the status unless a person moved it further already. */
  async #setStatus(
    id: string,
    status: 'mitigated' | 'investigating',
    credentials: BackstageCredentials,
  ) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.deps.store.getIncident(id);
      if (
        !current ||
        current.status === 'resolved' ||
        current.status === status ||
        (status === 'mitigated' &&
          !['open', 'investigating'].includes(current.status))
      ) {
        return;
      }
      try {
        await this.deps.incidents.update(
          id,
          { version: current.version, status },
          credentials,
        );
        return;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
  }

  #runbook(
    entity: Entity,
    alertname: string,
    alert: AlertmanagerAlert,
  ): { page?: string; url: string } | undefined {
    const mapped = runbookForAlert(entity, alertname, this.deps.appBaseUrl);
    if (mapped) return mapped;
    const url = alert.annotations.runbook_url;
    return url && /^https?:\/\//.test(url) ? { url } : undefined;
  }
}

import { IncidentStatus, INCIDENT_STATUSES } from '@opsdeck/plugin-ops-common';

/** The statuses of an incident that is not over yet. */
export const ACTIVE_INCIDENT_STATUSES: IncidentStatus[] =
  INCIDENT_STATUSES.filter(status => status !== 'resolved');

export const INCIDENT_STATUS_LABELS: Record<IncidentStatus, string> = {
  open: 'Open',
  investigating: 'Investigating',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
};

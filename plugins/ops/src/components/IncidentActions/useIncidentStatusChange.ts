import { useApi } from '@backstage/core-plugin-api';
import { Incident, IncidentStatus } from '@opsdeck/plugin-ops-common';
import { useCallback, useState } from 'react';
import { opsApiRef } from '../../api';
import {
  errorMessage,
  Feedback,
  INCIDENT_STATUS_LABELS,
  isConflict,
} from '../shared';

/**
 * Changes an incident's status from the version the user saw, then reloads.
 * A change based on a stale version is refused by the backend: the user is
 * told, and sees the reloaded incident rather than their change.
 */
export function useIncidentStatusChange(options: { onChanged: () => void }) {
  const { onChanged } = options;
  const opsApi = useApi(opsApiRef);
  const [feedback, setFeedback] = useState<Feedback>();

  const changeStatus = useCallback(
    async (incident: Incident, status: IncidentStatus): Promise<boolean> => {
      setFeedback(undefined);
      try {
        await opsApi.updateIncident(incident.id, {
          version: incident.version,
          status,
        });
        return true;
      } catch (error) {
        const label = INCIDENT_STATUS_LABELS[status];
        setFeedback(
          isConflict(error)
            ? {
                severity: 'warning',
                message: `“${incident.title}” was changed by someone else, so it was not set to ${label}. It has been reloaded: check it and try again.`,
              }
            : {
                severity: 'error',
                message: `Could not set “${
                  incident.title
                }” to ${label}: ${errorMessage(error)}`,
              },
        );
        return false;
      } finally {
        onChanged();
      }
    },
    [opsApi, onChanged],
  );

  return {
    changeStatus,
    feedback,
    clearFeedback: useCallback(() => setFeedback(undefined), []),
  };
}
